/**
 * A forking proxy for tests (RFC 3261 §16.7, as far as a test needs it) on a {@link LoopbackNetwork}:
 * a request for `sip:bob@ringlet.test` goes to every branch endpoint with its Request-URI rewritten
 * to `sip:bob@<branch>.invalid`; responses come back through the proxy; in-dialog requests go
 * straight to their remote target. Used only by tests.
 */
import { getCSeq } from '../message/headers';
import { createRequest, type SipRequest } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { parseMessage } from '../parser/parse-message';
import { COMPLETED_ELSEWHERE } from '../session/session-end';
import {
  LoopbackNetwork,
  type LoopbackRouter,
  type LoopbackTransport,
} from '../transport/loopback-transport';
import type { FakeClock } from './fake-clock';

const PROXY = 'proxy';

/**
 * Routes a frame: everything from a branch (an endpoint named `b…`) goes through the proxy; a
 * response follows its top Via back; a request goes to the endpoint its Request-URI host names
 * (`<endpoint>.invalid`), or to the proxy when that is no endpoint.
 */
const forkingRouter: LoopbackRouter = ({ from, text }, names) => {
  const endpointOf = (host: string) => host.replace(/\.invalid$/, '');
  if (from !== PROXY && from.startsWith('b')) return PROXY;
  if (text.startsWith('SIP/2.0')) {
    const via = /\r\nVia: SIP\/2\.0\/WS ([^;\s]+)/.exec(text);
    return via ? endpointOf(via[1]!) : undefined;
  }
  const host = /^[A-Z]+ sips?:[^@\s]+@([^;\s>]+)/.exec(text)?.[1];
  const target = host ? endpointOf(host) : '';
  return names.includes(target) && target !== PROXY ? target : PROXY;
};

/** A loopback network whose routing sends Bob's requests through {@link forkingProxy}. */
export function forkingNetwork(clock: FakeClock): LoopbackNetwork {
  return new LoopbackNetwork({ clock, router: forkingRouter });
}

export interface ForkingProxyOptions {
  /** The branch endpoints the INVITE is forked to. */
  readonly branches: readonly string[];
  /**
   * When one branch answers 200, CANCEL the INVITE on the others with `Reason: SIP;cause=200`
   * (RFC 3326 "call completed elsewhere"), once.
   */
  readonly cancelOthers: boolean;
}

/** Starts the proxy endpoint on `network` (call `connect()` on what it returns). */
export function forkingProxy(network: LoopbackNetwork, options: ForkingProxyOptions): LoopbackTransport {
  const proxy = network.endpoint(PROXY);
  const forkedInvites = new Map<string, string>();
  proxy.on('message', (text) => {
    if (text.startsWith('SIP/2.0')) {
      proxy.send(text);
      const parsed = parseMessage(text);
      if (!options.cancelOthers || !parsed.ok || parsed.value.kind !== 'response') return;
      const response = parsed.value;
      const cseq = getCSeq(response);
      if (response.status !== 200 || !cseq.ok || cseq.value.method !== 'INVITE') return;
      // The branch that answered is the one whose Contact the 200 carries; cancel the others.
      for (const [branch, inviteText] of forkedInvites) {
        if (response.headers.get('Contact')?.includes(`${branch}.invalid`)) continue;
        proxy.send(serializeMessage(cancelOf(inviteText)));
      }
      forkedInvites.clear();
      return;
    }
    for (const branch of options.branches) {
      const rewritten = text.replace(/^([A-Z]+) sip:bob@ringlet\.test /, `$1 sip:bob@${branch}.invalid `);
      if (text.startsWith('INVITE')) forkedInvites.set(branch, rewritten);
      proxy.send(rewritten);
    }
  });
  return proxy;
}

/** §9.1: the CANCEL of a forwarded INVITE, with the RFC 3326 reason a forking proxy gives. */
function cancelOf(inviteText: string): SipRequest {
  const parsed = parseMessage(inviteText);
  if (!parsed.ok || parsed.value.kind !== 'request') throw new Error('forwarded INVITE does not parse');
  const invite = parsed.value;
  return createRequest('CANCEL', invite.uri, [
    ['Via', invite.headers.get('Via')!],
    ['Max-Forwards', '70'],
    ['To', invite.headers.get('To')!],
    ['From', invite.headers.get('From')!],
    ['Call-ID', invite.headers.get('Call-ID')!],
    ['CSeq', invite.headers.get('CSeq')!.replace('INVITE', 'CANCEL')],
    ['Reason', COMPLETED_ELSEWHERE],
  ]);
}
