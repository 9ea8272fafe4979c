/**
 * Bundle entry: Ringlet's SIP core plus its WebRTC media layer (src/phone glue + src/media), the
 * like-for-like counterpart of SIP.js and JsSIP, which both bundle their own WebRTC handling.
 * Never run; only bundled by size-bench.ts.
 */
import { Phone } from '../../../src/phone/index';

export async function dial(
  server: string,
  uri: string,
  password: string,
  target: string,
): Promise<() => void> {
  const phone = new Phone({ account: { servers: [server], uri, password }, WebSocket });
  phone.on('incoming', (incoming) => void incoming.answer());
  await phone.register();
  const call = phone.call(target);
  return () => void call.hangup();
}
