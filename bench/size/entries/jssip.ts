/**
 * Bundle entry: JsSIP with the same feature set as ringlet-core.ts (user agent, registration,
 * outgoing and incoming calls, hang-up) through its public API. Never run; only bundled.
 */
import JsSIP from 'jssip';
import type { RTCSessionEvent } from 'jssip/lib/UA';

export function dial(server: string, uri: string, password: string, target: string): () => void {
  const ua = new JsSIP.UA({ sockets: [new JsSIP.WebSocketInterface(server)], uri, password });
  ua.on('newRTCSession', (event: RTCSessionEvent) => {
    if (event.originator === 'remote') event.session.answer();
  });
  ua.start();
  ua.register();
  const session = ua.call(target, { mediaConstraints: { audio: true, video: false } });
  return () => session.terminate();
}
