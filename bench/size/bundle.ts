/**
 * One bundler configuration for every candidate, so sizes compare like for like: Vite 8 (rolldown)
 * in library mode, one ES module for the browser, target ES2022, everything bundled (no
 * externals), `process.env.NODE_ENV` = "production", no comments, no sourcemap in the measured
 * output.
 *
 * Vite's library mode keeps whitespace when minifying ES output (a library's consumer minifies
 * again); what a browser finally downloads is fully minified, so `output.minify: true` asks the
 * oxc minifier for compress + mangle + whitespace removal.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';
import { build } from './vite-api';
import type { SourceMapLike } from './source-map-attribution';

export interface BundleOptions {
  readonly minify: boolean;
  /** Also return the source map (analysis only; measured bundles never have one). */
  readonly sourcemap?: boolean;
}

export interface Bundle {
  /** All JS chunks concatenated (a single chunk in practice: library mode, no dynamic imports). */
  readonly code: string;
  readonly chunks: number;
  /** Bytes of CSS emitted next to the JS (the widget's stylesheet), not counted in `code`. */
  readonly cssBytes: number;
  readonly map: SourceMapLike | undefined;
  /** Module id → rendered (tree-shaken, pre-minification) length, from the bundler. */
  readonly renderedLength: ReadonlyMap<string, number>;
}

export interface Sizes {
  readonly bytes: number;
  readonly gzip: number;
  readonly brotli: number;
}

/** UTF-8 size, gzip level 9 and brotli quality 11 of `code`: fixed settings, so stable numbers. */
export function measureSizes(code: string): Sizes {
  const data = Buffer.from(code, 'utf8');
  return {
    bytes: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }).length,
  };
}

/** Bundles `entry` (a path relative to `root`) with the shared configuration. */
export async function bundle(root: string, entry: string, options: BundleOptions): Promise<Bundle> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      emptyOutDir: false,
      target: 'es2022',
      minify: options.minify ? 'oxc' : false,
      sourcemap: options.sourcemap === true ? 'hidden' : false,
      reportCompressedSize: false,
      lib: { entry, formats: ['es'], fileName: 'bundle' },
      rolldownOptions: {
        output: options.minify ? { minify: true, comments: false } : { comments: false },
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const items = outputs.flatMap((o) => o.output);
  const chunks = items.filter((i): i is Rolldown.OutputChunk => i.type === 'chunk');
  if (chunks.length === 0) throw new Error(`bundling ${entry} produced no JS`);
  const renderedLength = new Map<string, number>();
  for (const chunk of chunks) {
    for (const [id, info] of Object.entries(chunk.modules)) {
      renderedLength.set(id, (renderedLength.get(id) ?? 0) + info.renderedLength);
    }
  }
  const first = chunks[0];
  const cssBytes = items
    .filter((i): i is Rolldown.OutputAsset => i.type === 'asset' && i.fileName.endsWith('.css'))
    .reduce((sum, asset) => sum + Buffer.byteLength(asset.source), 0);
  return {
    code: chunks.map((c) => c.code).join('\n'),
    chunks: chunks.length,
    cssBytes,
    map:
      chunks.length === 1 && first?.map
        ? { sources: first.map.sources, mappings: first.map.mappings }
        : undefined,
    renderedLength,
  };
}
