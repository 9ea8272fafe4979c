/**
 * Bundle entry: Ringlet's SIP core with every opt-in module installed, as src/phone uses it (hold
 * and re-offers, PRACK, UPDATE, session timers, INFO, RFC 5626 outbound keep-alive, GRUU, the
 * SHA-512-256 algorithm and the rare digest variants, the redacting logger, tel: URIs). The upper
 * bound of what an application of the core ships; ringlet-core.ts is the lower one. Never run;
 * only bundled by size-bench.ts.
 */
import {
  createLogger,
  digestVariants,
  gruu,
  hold,
  infoMethod,
  outbound,
  parseTelUri,
  reliableProvisionals,
  renegotiation,
  sessionTimers,
  sha512_256,
  unhold,
  updateMethod,
  UserAgent,
  type LogSink,
  type SessionDescriptionHandlerFactory,
} from '../../../src/sip/index';

export async function dial(
  server: string,
  uri: string,
  password: string,
  target: string,
  media: SessionDescriptionHandlerFactory,
  sink: LogSink,
): Promise<() => void> {
  const ua = new UserAgent({
    servers: [server],
    WebSocket,
    uri,
    password,
    sessionDescriptionHandlerFactory: media,
    logger: createLogger(sink, 'ringlet', 'debug'),
    digestAlgorithms: { 'SHA-512-256': sha512_256, ...digestVariants() },
    sessionExtensions: [
      renegotiation(),
      reliableProvisionals(),
      updateMethod(),
      sessionTimers(),
      infoMethod(),
    ],
    extensions: [outbound(), gruu()],
  });
  ua.on('invite', (incoming) => void incoming.answer());
  await ua.register();
  const tel = parseTelUri(target);
  const session = ua.call(tel.ok ? `sip:${tel.value.number}@${new URL(server).hostname}` : target);
  await hold(session);
  await unhold(session);
  return () => session.hangup();
}
