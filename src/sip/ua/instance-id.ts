/**
 * The device's instance id, RFC 5626 §4.1 `+sip.instance`, shared by the extensions that put it in
 * the REGISTER Contact (outbound, GRUU), so they agree on one value per user agent.
 */
import { InvalidArgumentError } from '../support/errors';
import type { UserAgentContext } from './ua-extension';

const ids = new WeakMap<UserAgentContext, string>();

/**
 * `<urn:…>` from the `instanceId` option, or from a fresh version-4 UUID (RFC 4122 §4.4: version
 * nibble 4, variant bits 10), the same for every call with the same user agent.
 * @throws InvalidArgumentError when the option is not a URN.
 */
export function instanceParam(ua: UserAgentContext): string {
  let id = ids.get(ua);
  if (id === undefined) {
    const given = ua.instanceId?.replace(/^<|>$/g, '');
    if (given !== undefined && !/^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s<>"]+$/i.test(given)) {
      throw new InvalidArgumentError(`instanceId is not a URN: ${ua.instanceId}`);
    }
    id = `"<${given ?? uuidUrn(ua.random.hex(16))}>"`;
    ids.set(ua, id);
  }
  return id;
}

function uuidUrn(h: string): string {
  const variant = '89ab'[parseInt(h[16]!, 16) & 3]!;
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}
