/**
 * The dev exchange's registrar, RFC 3261 §10.3 (processing REGISTER requests), with optional
 * Digest authentication (§22.4) and RFC 5626 instance/reg-id binding keys.
 *
 * DEVELOPMENT CONVENIENCE ONLY: production deployments use Asterisk, FreeSWITCH or Kamailio.
 */
import {
  formatNameAddr,
  getContact,
  getCSeq,
  getCallId,
  getExpires,
  getRequire,
  getTo,
  isSipUri,
  type SipRequest,
  type SipResponse,
} from '../src/sip/index';
import { replyTo } from './reply';
import { bindingKey, type Binding, type LocationService } from './location-service';
import type { DigestChallenger } from './digest-challenger';

export interface RegistrarOptions {
  readonly location: LocationService;
  readonly now: () => number;
  /** True for the domain(s) this registrar is responsible for. */
  readonly isLocalDomain: (host: string) => boolean;
  /** When present, every REGISTER must carry valid Digest credentials. */
  readonly challenger?: DigestChallenger;
  /** Shortest accepted non-zero expiry in seconds (423 below it). */
  readonly minExpires: number;
  /** Longest granted expiry in seconds (longer requests are shortened). */
  readonly maxExpires: number;
  /** To-tag for our responses. */
  readonly newTag: () => string;
}

export interface RegisterOutcome {
  readonly response: SipResponse;
  /** A one-line, credential-free summary for the log. */
  readonly summary: string;
  /** The registered user when the bindings changed. */
  readonly user?: string;
}

/** §10.2.1.1: with neither an `expires` parameter nor an Expires header, the server picks 3600 s. */
const DEFAULT_EXPIRES = 3600;

export class Registrar {
  readonly #o: RegistrarOptions;

  constructor(options: RegistrarOptions) {
    this.#o = options;
  }

  /** Handles one REGISTER arriving on `connectionId`. Never throws for wire input. */
  register(request: SipRequest, connectionId: string): RegisterOutcome {
    const o = this.#o;
    const reply = (status: number, summary: string, extra: [string, string][] = [], reason?: string) => ({
      response: replyTo(request, status, {
        toTag: o.newTag(),
        headers: extra,
        ...(reason !== undefined ? { reason } : {}),
      }),
      summary,
    });

    // §10.3 step 1: "The registrar inspects the Request-URI to determine whether it has access to
    // bindings for the domain identified in the Request-URI."
    if (!isSipUri(request.uri) || !o.isLocalDomain(request.uri.host)) {
      return reply(404, 'REGISTER for a foreign domain', [], 'Not Found (not our domain)');
    }
    // §10.3 step 2: "it MUST process the Require header field values as described for UASs".
    const require = getRequire(request);
    if (!require.ok) return reply(400, 'bad Require');
    if (require.value.length > 0) {
      return reply(420, `unsupported Require ${require.value.join(',')}`, [
        ['Unsupported', require.value.join(', ')],
      ]);
    }

    // §10.3 step 5: "The registrar extracts the address-of-record from the To header field".
    const to = getTo(request);
    if (!to.ok) return reply(400, 'bad To');
    const aor = to.value.uri;
    if (!isSipUri(aor) || aor.user === undefined || aor.user === '' || !o.isLocalDomain(aor.host)) {
      return reply(404, 'REGISTER for an address outside our domain', [], 'Not Found (not our domain)');
    }
    const user = aor.user;

    // §10.3 step 3: "a registrar SHOULD authenticate the UAC".
    if (o.challenger !== undefined) {
      const verdict = o.challenger.verify(request);
      switch (verdict.kind) {
        case 'missing':
        case 'stale':
          return reply(
            401,
            `challenge ${user}${verdict.kind === 'stale' ? ' (stale nonce)' : ''}`,
            o.challenger.challenge(verdict.kind === 'stale').map((v) => ['WWW-Authenticate', v]),
          );
        case 'rejected':
          return reply(403, `refused ${user}: ${verdict.why}`);
        case 'ok':
          // §10.3 step 4: "The registrar SHOULD determine if the authenticated user is
          // authorized to modify registrations for this address-of-record."
          if (verdict.username !== user) {
            return reply(403, `${verdict.username} may not register ${user}`);
          }
      }
    }

    const contact = getContact(request);
    const headerExpires = getExpires(request);
    const callId = getCallId(request);
    const cseq = getCSeq(request);
    if (!contact.ok || !headerExpires.ok || !callId.ok || !cseq.ok) {
      return reply(400, 'bad Contact, Expires, Call-ID or CSeq');
    }
    const now = o.now();
    const current = o.location.lookup(user);
    let next: Binding[] = [...current];

    if (contact.value !== undefined && contact.value.star) {
      // §10.3 step 6: "If the request has additional Contact fields or an expiration time other
      // than zero, the request is invalid, and the server MUST return a 400 (Invalid Request)".
      if (headerExpires.value !== 0 || request.headers.getAll('Contact').length !== 1) {
        return reply(400, 'Contact: * needs Expires: 0 alone');
      }
      next = [];
    } else if (contact.value !== undefined) {
      for (const c of contact.value.contacts) {
        const param = c.params['expires'];
        let expires = headerExpires.value ?? DEFAULT_EXPIRES;
        if (param !== undefined) {
          if (param === null || !/^\d{1,10}$/.test(param)) return reply(400, 'bad expires parameter');
          expires = Number(param);
        }
        // §10.3 step 7: "If and only if the requested expiration interval is greater than zero
        // AND smaller than one hour AND less than a registrar-configured minimum, the registrar
        // MAY reject the registration with a response of 423 (Interval Too Brief)."
        if (expires > 0 && expires < o.minExpires) {
          return reply(423, `${user} asked for ${expires}s`, [['Min-Expires', String(o.minExpires)]]);
        }
        const key = bindingKey(c);
        const existing = next.find((b) => b.key === key);
        // §10.3 step 7: if the Call-ID matches, "If the value is higher than that of the existing
        // binding, it MUST update or remove the binding as above. If not, the update MUST be
        // aborted and the request fails."
        if (existing !== undefined && existing.callId === callId.value && cseq.value.seq <= existing.cseq) {
          return reply(500, `out-of-order REGISTER for ${user}`, [], 'Out-of-order CSeq');
        }
        next = next.filter((b) => b.key !== key);
        if (expires === 0) continue;
        const params = { ...c.params };
        delete params['expires'];
        next.push({
          key,
          contact: { ...c, params },
          connectionId,
          expiresAt: now + Math.min(expires, o.maxExpires) * 1000,
          callId: callId.value,
          cseq: cseq.value.seq,
        });
      }
    }

    const changed = contact.value !== undefined;
    if (changed) o.location.commit(user, next);
    // §10.3 step 8: "The response SHOULD contain a Contact header field enumerating all current
    // bindings. Each Contact value MUST feature an "expires" parameter indicating its expiration
    // interval chosen by the registrar."
    const listed = next.map((b): [string, string] => [
      'Contact',
      formatNameAddr({
        ...b.contact,
        params: { ...b.contact.params, expires: String(Math.max(0, Math.ceil((b.expiresAt - now) / 1000))) },
      }),
    ]);
    const summary = changed
      ? `${user} now has ${next.length} contact${next.length === 1 ? '' : 's'}`
      : `${user} queried ${next.length} contact${next.length === 1 ? '' : 's'}`;
    return { ...reply(200, summary, listed), ...(changed ? { user } : {}) };
  }
}
