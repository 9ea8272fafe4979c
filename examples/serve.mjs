#!/usr/bin/env node
/* global process, console, URL */
/**
 * Serves the example host page on its own loopback port (default 5174), so it is another origin
 * than the app (`npm start`, 5173): `/` is this folder, `/widget/` is the library build
 * (`npm run build:widget` → dist/widget). Static files only, GET and HEAD, nothing outside the
 * two folders.
 *
 *   npm start                     # the app and the dev exchange
 *   npm run build:widget
 *   node examples/serve.mjs       # then open http://127.0.0.1:5174/
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 5174);
const widgetDir = process.env.RINGLET_WIDGET_DIR ?? join(here, '..', 'dist', 'widget');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
};

function resolvePath(pathname) {
  const [root, rest] = pathname.startsWith('/widget/')
    ? [widgetDir, pathname.slice('/widget/'.length)]
    : [here, pathname === '/' ? 'index.html' : pathname.slice(1)];
  const file = normalize(join(root, decodeURIComponent(rest)));
  return file.startsWith(root + sep) ? file : null;
}

createServer((request, response) => {
  const file =
    request.method === 'GET' || request.method === 'HEAD'
      ? resolvePath(new URL(request.url ?? '/', 'http://localhost').pathname)
      : null;
  let size = -1;
  try {
    if (file) size = statSync(file).isFile() ? statSync(file).size : -1;
  } catch {
    size = -1;
  }
  if (!file || size < 0) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
}).listen(port, '127.0.0.1', () => {
  console.log(`examples: http://127.0.0.1:${port}/ (widget from ${widgetDir})`);
});
