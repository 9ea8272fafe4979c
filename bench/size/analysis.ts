/**
 * Where the bytes of a minified bundle go: per source module (exact, from the source map), the
 * gzip bytes each module costs (marginal: gzip of the bundle minus gzip of the bundle without that
 * module's spans), and two things minifiers cannot shrink: string literals and property names.
 */
import { gzipSync } from 'node:zlib';
import { parseSync } from './vite-api';
import { attributeSpans, spanAt, type SourceMapLike, type Span } from './source-map-attribution';

export interface ModuleShare {
  readonly module: string;
  readonly minified: number;
  /** gzip(bundle) − gzip(bundle without this module): what dropping it would save, roughly. */
  readonly gzipMarginal: number;
  /** Bytes of string literals (quotes included) in this module's minified code. */
  readonly strings: number;
}

export interface NamedCount {
  readonly text: string;
  readonly module: string | undefined;
  readonly count: number;
  readonly bytes: number;
}

export interface BundleAnalysis {
  readonly total: number;
  readonly modules: readonly ModuleShare[];
  /** Folder (e.g. `src/sip/session`) → minified bytes. */
  readonly folders: ReadonlyMap<string, number>;
  readonly stringBytes: number;
  /** String bytes that read as prose (contain a space): error, log and reason texts. */
  readonly proseBytes: number;
  readonly longestStrings: readonly NamedCount[];
  readonly propertyBytes: number;
  readonly costliestProperties: readonly NamedCount[];
}

const UNMAPPED = '(bundler glue, unmapped)';

/** Map sources are relative to the output file; show them relative to the project root. */
export function moduleName(source: string | undefined): string {
  if (source === undefined) return UNMAPPED;
  return source.replace(/^(\.\.\/)+/, '').replace(/^.*?node_modules\//, 'node_modules/');
}

export function folderOf(module: string): string {
  if (module.startsWith('node_modules/')) {
    const parts = module.split('/');
    return parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/');
  }
  const cut = module.lastIndexOf('/');
  return cut === -1 ? module : module.slice(0, cut);
}

const gzipLength = (text: string): number => gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).length;

interface AstNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [key: string]: unknown;
}

function isNode(value: unknown): value is AstNode {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

function walk(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, visit);
    } else if (isNode(value)) walk(value, visit);
  }
}

/** The identifier naming a non-computed member access, method, field or object key, if any. */
function propertyName(node: AstNode): AstNode | undefined {
  const candidate =
    node.type === 'MemberExpression'
      ? node.property
      : node.type === 'MethodDefinition' || node.type === 'PropertyDefinition' || node.type === 'Property'
        ? node.key
        : undefined;
  if (node.computed === true || !isNode(candidate) || candidate.type !== 'Identifier') return undefined;
  return candidate;
}

function tally(map: Map<string, NamedCount>, text: string, module: string | undefined, bytes: number): void {
  const previous = map.get(text);
  map.set(text, {
    text,
    module: previous ? (previous.module === module ? module : 'several') : module,
    count: (previous?.count ?? 0) + 1,
    bytes: (previous?.bytes ?? 0) + bytes,
  });
}

/** Analyses a minified bundle and its source map. */
export function analyseBundle(code: string, map: SourceMapLike, top = 12): BundleAnalysis {
  const spans = attributeSpans(code, map);
  const bySource = new Map<string, Span[]>();
  for (const span of spans) {
    const name = moduleName(span.source);
    const list = bySource.get(name) ?? [];
    list.push(span);
    bySource.set(name, list);
  }
  const fullGzip = gzipLength(code);
  const stringsByModule = new Map<string, number>();
  const strings = new Map<string, NamedCount>();
  const properties = new Map<string, NamedCount>();
  let stringBytes = 0;
  let proseBytes = 0;
  let propertyBytes = 0;

  const parsed = parseSync('bundle.js', code, { sourceType: 'module' });
  const moduleAt = (offset: number): string => moduleName(spanAt(spans, offset)?.source);
  walk(parsed.program as unknown as AstNode, (node) => {
    const isString =
      (node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateElement';
    if (isString) {
      const length = node.end - node.start;
      const module = moduleAt(node.start);
      stringBytes += length;
      if (code.slice(node.start, node.end).includes(' ')) proseBytes += length;
      stringsByModule.set(module, (stringsByModule.get(module) ?? 0) + length);
      tally(strings, code.slice(node.start, node.end), module, length);
      return;
    }
    const key = propertyName(node);
    if (key) {
      const length = key.end - key.start;
      propertyBytes += length;
      tally(properties, code.slice(key.start, key.end), moduleAt(key.start), length);
    }
  });

  const modules: ModuleShare[] = [...bySource].map(([module, list]) => {
    let minified = 0;
    let without = '';
    let cursor = 0;
    for (const span of list) {
      minified += Buffer.byteLength(code.slice(span.start, span.end), 'utf8');
      without += code.slice(cursor, span.start);
      cursor = span.end;
    }
    without += code.slice(cursor);
    return {
      module,
      minified,
      gzipMarginal: fullGzip - gzipLength(without),
      strings: stringsByModule.get(module) ?? 0,
    };
  });
  modules.sort((a, b) => b.minified - a.minified || a.module.localeCompare(b.module));

  const folders = new Map<string, number>();
  for (const m of modules)
    folders.set(folderOf(m.module), (folders.get(folderOf(m.module)) ?? 0) + m.minified);

  const byBytes = (a: NamedCount, b: NamedCount): number => b.bytes - a.bytes || a.text.localeCompare(b.text);
  return {
    total: Buffer.byteLength(code, 'utf8'),
    modules,
    folders: new Map([...folders].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    stringBytes,
    proseBytes,
    longestStrings: [...strings.values()].sort(byBytes).slice(0, top),
    propertyBytes,
    costliestProperties: [...properties.values()].sort(byBytes).slice(0, top),
  };
}
