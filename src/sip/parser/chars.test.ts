import { describe, expect, it } from 'vitest';
import { nameCache, skipClass, TOKEN } from './chars';

describe('nameCache', () => {
  it('derives a name once and then returns the same string for it in place', () => {
    let calls = 0;
    const at = nameCache((name) => {
      calls++;
      return name.toLowerCase();
    });
    const text = 'x;Branch=1;BRANCH=2;Branch=3';
    const first = at(text, 2, 8);
    expect(first).toBe('branch');
    expect(at(text, 20, 26)).toBe('branch');
    expect(calls).toBe(1);
    // Names are matched as written: another casing is another entry with the same derivation.
    expect(at(text, 11, 17)).toBe('branch');
    expect(calls).toBe(2);
  });

  it('tells apart names of one first character and one length', () => {
    const at = nameCache((name) => name.toUpperCase());
    expect(at('contact', 0, 7)).toBe('CONTACT');
    expect(at('call-id', 0, 7)).toBe('CALL-ID');
    expect(at('contact', 0, 7)).toBe('CONTACT');
    // Characters beyond ASCII share a bucket with their low 7 bits but never match an ASCII name.
    expect(at('\u0163o', 0, 2)).toBe('\u0162O');
    expect(at('to', 0, 2)).toBe('TO');
  });

  it('stays correct, and bounded, when a peer floods it with names', () => {
    let calls = 0;
    const at = nameCache((name) => {
      calls++;
      return name + '!';
    });
    for (let i = 0; i < 100; i++) expect(at(`x${i}`, 0, `x${i}`.length)).toBe(`x${i}!`);
    expect(calls).toBe(100);
    // The first 16 names of the bucket are kept; later ones are derived afresh every time.
    expect(at('x0', 0, 2)).toBe('x0!');
    expect(calls).toBe(100);
    expect(at('x99', 0, 3)).toBe('x99!');
    expect(calls).toBe(101);
  });
});

describe('skipClass', () => {
  it('stops at non-ASCII characters, which belong to no class', () => {
    expect(skipClass(TOKEN, 'ab\u00e9c', 0)).toBe(2);
    expect(skipClass(TOKEN, 'abc', 0)).toBe(3);
  });
});
