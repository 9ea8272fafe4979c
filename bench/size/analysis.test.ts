import { describe, it, expect } from 'vitest';
import { analyseBundle, folderOf, moduleName } from './analysis';

describe('naming modules from source-map sources', () => {
  it('strips the relative climb out of the output directory and paths into node_modules', () => {
    expect(moduleName('../src/sip/ua/user-agent.ts')).toBe('src/sip/ua/user-agent.ts');
    expect(moduleName('../../node_modules/@noble/hashes/sha2.js')).toBe('node_modules/@noble/hashes/sha2.js');
    expect(moduleName(undefined)).toMatch(/unmapped/);
  });

  it('groups modules by folder, and dependencies by package (scoped or not)', () => {
    expect(folderOf('src/sip/ua/user-agent.ts')).toBe('src/sip/ua');
    expect(folderOf('node_modules/@noble/hashes/sha2.js')).toBe('node_modules/@noble/hashes');
    expect(folderOf('node_modules/debug/src/browser.js')).toBe('node_modules/debug');
  });
});

describe('analysing a minified bundle', () => {
  // Two modules on one line: a.ts owns `let a="hello world";`, b.ts owns the rest.
  const code = 'let a="hello world";x.foo(a,"id");x.foo(1)';
  const map = { sources: ['../src/a.ts', '../src/b.ts'], mappings: 'AAAA,oBCAA' };

  it('attributes minified bytes to modules exactly', () => {
    const analysis = analyseBundle(code, map);
    const bytes = Object.fromEntries(analysis.modules.map((m) => [m.module, m.minified]));
    expect(bytes).toEqual({ 'src/a.ts': 20, 'src/b.ts': code.length - 20 });
    expect(analysis.total).toBe(code.length);
  });

  it('counts string literals, separating prose, and non-computed property names', () => {
    const analysis = analyseBundle(code, map);
    expect(analysis.stringBytes).toBe('"hello world"'.length + '"id"'.length);
    expect(analysis.proseBytes).toBe('"hello world"'.length);
    expect(analysis.longestStrings[0]).toMatchObject({ text: '"hello world"', module: 'src/a.ts', count: 1 });
    expect(analysis.costliestProperties).toEqual([{ text: 'foo', module: 'src/b.ts', count: 2, bytes: 6 }]);
  });
});
