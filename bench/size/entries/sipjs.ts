/**
 * Bundle entry: SIP.js with the same feature set as ringlet-core.ts (user agent, registration,
 * outgoing and incoming calls, hang-up) through its public API. Never run; only bundled.
 */
import { Inviter, Registerer, UserAgent } from 'sip.js';

export async function dial(
  server: string,
  uri: string,
  password: string,
  target: string,
): Promise<() => void> {
  const aor = UserAgent.makeURI(uri);
  const destination = UserAgent.makeURI(target);
  if (!aor || !destination) throw new Error('bad URI');
  const ua = new UserAgent({
    uri: aor,
    authorizationPassword: password,
    transportOptions: { server },
    delegate: { onInvite: (invitation) => void invitation.accept() },
  });
  await ua.start();
  await new Registerer(ua).register();
  const inviter = new Inviter(ua, destination);
  await inviter.invite();
  return () => void inviter.bye();
}
