/**
 * Bundle entry: Ringlet's SIP core used for registration and calls only, so tree-shaking keeps what
 * an application with that feature set ships (the media handler is the application's, see
 * ringlet-phone.ts for core + WebRTC media). Never run; only bundled by size-bench.ts.
 */
import { UserAgent, type SessionDescriptionHandlerFactory } from '../../../src/sip/index';

export async function dial(
  server: string,
  uri: string,
  password: string,
  target: string,
  media: SessionDescriptionHandlerFactory,
): Promise<() => void> {
  const ua = new UserAgent({
    servers: [server],
    WebSocket,
    uri,
    password,
    sessionDescriptionHandlerFactory: media,
  });
  ua.on('invite', (incoming) => void incoming.answer());
  await ua.register();
  const session = ua.call(target);
  return () => session.hangup();
}
