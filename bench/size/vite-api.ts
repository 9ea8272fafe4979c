/**
 * Vite's Node API, loaded through a non-literal specifier on purpose: the lint config's
 * `import-x` node resolver crashes on packages that declare only `exports` (no `main`), as vite
 * does, and aborts the whole lint run ("node with invalid interface loaded as resolver"). Type
 * imports are not resolved, so types stay exact. Import `vite` directly once the lint config uses
 * an exports-aware resolver.
 */
import type * as Vite from 'vite';

const VITE = 'vite';

export const { build, parseSync } = (await import(VITE)) as typeof Vite;
