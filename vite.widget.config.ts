/**
 * Library build of the embeddable widget (`npm run build:widget`): src/widget/index.ts and
 * everything it uses (React, the UI, the store, the SIP core) into one ES module,
 * dist/widget/ringlet-phone.js, with its CSS inlined into the shadow root (src/widget/shadow-styles.ts).
 *
 * The UI's components import their stylesheets for the standalone app; in the widget those imports
 * are emptied (the `?inline` copies are what the widget uses), so no stylesheet is emitted and the
 * host page never gets the app's global CSS.
 */
import { defineConfig, type Plugin } from 'vite';

function dropDocumentCss(): Plugin {
  return {
    name: 'ringlet-widget-drop-document-css',
    enforce: 'pre',
    load(id) {
      // Only plain `import './x.css'`; `x.css?inline` keeps its text.
      if (/\.css$/.test(id)) return '';
      return null;
    },
  };
}

export default defineConfig({
  plugins: [dropDocumentCss()],
  // Library mode keeps `process.env.NODE_ENV` for the consumer; a script-tag widget has no bundler.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    sourcemap: true,
    copyPublicDir: false,
    lib: {
      entry: 'src/widget/index.ts',
      formats: ['es'],
      fileName: () => 'ringlet-phone.js',
    },
    // Library mode leaves ES output unminified by default; the widget ships as is.
    minify: true,
    rolldownOptions: {
      // One file: a script tag should not have to fetch chunks from another origin.
      output: { codeSplitting: false, minify: true },
    },
  },
});
