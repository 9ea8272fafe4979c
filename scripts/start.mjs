// `npm start`: the built-in dev exchange (ws://127.0.0.1:5062, domain ringlet.local) and the app
// (Vite on http://127.0.0.1:5173) under one supervisor, so that stopping one stops both and
// Ctrl-C leaves nothing running. The dev exchange is a development convenience, not a PBX.
import { spawn } from 'node:child_process';

const children = [
  spawn(process.execPath, ['--import', 'tsx', 'dev-exchange/main.ts'], { stdio: 'inherit' }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', '5173'], {
    stdio: 'inherit',
  }),
];

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}

for (const child of children) child.on('exit', (code) => stopAll(code ?? 0));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
