/**
 * Session timers, RFC 4028, as an opt-in session extension ({@link sessionTimers}): the pure
 * negotiation rules (what goes in the INVITE, what the UAS answers, what a 2xx or a 422 means), the
 * two instants a session schedules, and the hooks that run them in each session.
 */
import { getAllow, getCSeq, getMinSE, getSessionExpires, getTokens } from '../message/headers';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { localChanges } from './renegotiation';
import { restartableTimer, type SessionExtension } from './session-extension';

export interface SessionTimerSettings {
  /** Whether we ask for and run timers at all (`Supported: timer` is sent either way). Default true. */
  readonly enabled: boolean;
  /** The Session-Expires we ask for, seconds. RFC 4028 §4 recommends 1800. */
  readonly interval: number;
  /** The smallest interval we accept (Min-SE), seconds; never below 90 (§5). */
  readonly minSE: number;
}

export const DEFAULT_SESSION_TIMER: SessionTimerSettings = { enabled: true, interval: 1800, minSE: 90 };

/** RFC 4028 §4: "the minimum allowed value for Session-Expires ... is 90 seconds". */
export const ABSOLUTE_MIN_SE = 90;

/** The outcome of a negotiation: who refreshes, relative to this UA, and how often. */
export interface SessionTimerAgreement {
  readonly interval: number;
  /** True when this UA sends the refreshes. */
  readonly weRefresh: boolean;
}

function supportsTimer(message: SipRequest | SipResponse, header: 'Supported' | 'Require'): boolean {
  const tokens = getTokens(message, header);
  return tokens.ok && tokens.value.some((t) => t.toLowerCase() === 'timer');
}

/** Header fields of a session refresh or initial INVITE we send (§7.1). */
export function requestTimerHeaders(
  settings: SessionTimerSettings,
  interval: number,
  refresher?: 'uac' | 'uas',
): Array<[string, string]> {
  if (!settings.enabled) return [];
  const fields: Array<[string, string]> = [
    ['Session-Expires', `${interval}${refresher ? `;refresher=${refresher}` : ''}`],
  ];
  // §5: Min-SE may be left out when it is the default, 90 seconds.
  if (settings.minSE > ABSOLUTE_MIN_SE) fields.push(['Min-SE', String(settings.minSE)]);
  return fields;
}

/** What the UAS does with the timer headers of a received INVITE or UPDATE (§9). */
export type UasTimerDecision =
  | { readonly kind: 'reject'; readonly minSE: number }
  | {
      readonly kind: 'accept';
      readonly agreement: SessionTimerAgreement | undefined;
      /** Header fields for our 2xx. */
      readonly headers: Array<[string, string]>;
    };

/**
 * §9: "If the Session-Expires value is smaller than the Min-SE that the UAS wishes to assert, the
 * UAS MUST reject the request with a 422 response". Otherwise the UAS keeps or lowers the interval
 * (never below the request's Min-SE) and picks the refresher: the request's choice when it made
 * one, else the UAC when the UAC supports timers, else itself.
 */
export function negotiateAsUas(request: SipRequest, settings: SessionTimerSettings): UasTimerDecision {
  if (!settings.enabled) return { kind: 'accept', agreement: undefined, headers: [] };
  const se = getSessionExpires(request);
  const minSE = getMinSE(request);
  const requestMin = minSE.ok && minSE.value !== undefined ? minSE.value : ABSOLUTE_MIN_SE;
  const uacSupports = supportsTimer(request, 'Supported') || supportsTimer(request, 'Require');
  let interval: number;
  let refresher: 'uac' | 'uas';
  if (se.ok && se.value !== undefined) {
    if (se.value.seconds < settings.minSE) return { kind: 'reject', minSE: settings.minSE };
    interval = Math.max(Math.min(se.value.seconds, settings.interval), requestMin, settings.minSE);
    const asked = se.value.params['refresher'];
    refresher = asked === 'uas' || asked === 'uac' ? asked : uacSupports ? 'uac' : 'uas';
  } else {
    // §9: "If the UAS ... wishes to use the session timer but the request did not include one, it
    // MAY insert a Session-Expires header field"; only useful when someone will refresh.
    interval = Math.max(settings.interval, requestMin);
    refresher = uacSupports ? 'uac' : 'uas';
  }
  const headers: Array<[string, string]> = [['Session-Expires', `${interval};refresher=${refresher}`]];
  // §9: "If the refresher parameter in the Session-Expires header field in the 2xx response has a
  // value of 'uac', the UAS MUST place a Require header field into the response with the value
  // 'timer'."
  if (refresher === 'uac') headers.push(['Require', 'timer']);
  return { kind: 'accept', agreement: { interval, weRefresh: refresher === 'uas' }, headers };
}

/**
 * §7.2: the UAC reads the 2xx. "If the 2xx response did not contain a Session-Expires header field,
 * there is no session expiration." With one, the refresher parameter names the refresher.
 */
export function agreementFromResponse(response: SipResponse): SessionTimerAgreement | undefined {
  const se = getSessionExpires(response);
  if (!se.ok || se.value === undefined) return undefined;
  return { interval: se.value.seconds, weRefresh: se.value.params['refresher'] !== 'uas' };
}

/** §6: a 422 carries the Min-SE the retry must honour. */
export function minSEOf422(response: SipResponse): number | undefined {
  const minSE = getMinSE(response);
  return minSE.ok && minSE.value !== undefined && minSE.value >= ABSOLUTE_MIN_SE ? minSE.value : undefined;
}

/**
 * §10: the refresher "SHOULD" refresh at half the interval. The other side ends the session "before
 * the session expires": it "SHOULD send a BYE ... at ... the expiration time minus the minimum of 32
 * seconds and one third of the session interval".
 */
export function refreshDelayMs(agreement: SessionTimerAgreement): number {
  return agreement.weRefresh
    ? (agreement.interval * 1000) / 2
    : (agreement.interval - Math.min(32, agreement.interval / 3)) * 1000;
}

/** Whether the peer's Allow lists UPDATE (undefined without an Allow header: nothing to learn). */
function allowsUpdate(message: SipRequest | SipResponse): boolean | undefined {
  if (!message.headers.has('Allow')) return undefined;
  const allow = getAllow(message);
  return allow.ok && allow.value.some((m) => m.toUpperCase() === 'UPDATE');
}

/**
 * RFC 4028 session timers for every session of the user agent: `Supported: timer`, Session-Expires
 * and Min-SE in our INVITEs, refreshes and 2xx, 422 for a too-short interval (§9) and one retry
 * after a 422 of ours (§7.4), and per session the refresh (by UPDATE when the peer allows it and
 * `updateMethod()` is installed, else by re-INVITE) or the BYE when the peer did not refresh (§10).
 * The session emits `sessionTimer` with each agreement. It pulls in `renegotiation()`, whose queue
 * sends the refreshes (installing both is fine: they share one queue per session).
 */
export function sessionTimers(settings: Partial<SessionTimerSettings> = {}): SessionExtension {
  const s: SessionTimerSettings = { ...DEFAULT_SESSION_TIMER, ...settings };
  return {
    tag: 'timer',
    requirable: true,
    check(request) {
      const decision = negotiateAsUas(request, s);
      // §9: the 422 "MUST contain a Min-SE header field with the minimum timer for that server."
      return decision.kind === 'reject' ? [422, [['Min-SE', String(decision.minSE)]]] : undefined;
    },
    attach(context) {
      const session = context.session;
      const changes = localChanges(context);
      let agreement: SessionTimerAgreement | undefined;
      /** What our last 2xx agreed, in force once the exchange commits. */
      let answered: SessionTimerAgreement | undefined;
      let retried = false;
      const timer = restartableTimer(context);
      let peerUpdate = (session.request && allowsUpdate(session.request)) ?? false;
      const arm = (next: SessionTimerAgreement | undefined): void => {
        agreement = next;
        context.events.emit('sessionTimer', next);
        if (!next || session.state !== 'established') return;
        timer(refreshDelayMs(next), () => {
          if (session.state !== 'established') return;
          // §10: "If the side not performing refreshes does not receive a session refresh request
          // before the session expiration, it SHOULD send a BYE to terminate the session".
          if (!next.weRefresh) context.end('session-expired');
          else {
            // §7.4 (via RFC 3311): by UPDATE when the peer allows it and we do, else re-INVITE.
            const byUpdate = peerUpdate && context.host.settings.allow.includes('UPDATE');
            void changes.queue(
              { kind: 'refresh', method: byUpdate ? 'UPDATE' : 'INVITE' },
              !byUpdate,
              session.held,
            );
          }
        });
      };
      return {
        ...changes,
        headers(kind, request) {
          if (kind === 'invite') return requestTimerHeaders(s, s.interval);
          // §7.4: a refresh keeps the refresher of the previous negotiation, named from the point of
          // view of this transaction (we are its UAC).
          if (kind === 'change')
            return agreement
              ? requestTimerHeaders(s, agreement.interval, agreement.weRefresh ? 'uac' : 'uas')
              : [];
          const decision = negotiateAsUas(request!, s);
          if (decision.kind === 'reject') return [];
          answered = decision.agreement;
          return decision.headers;
        },
        retry(request, response) {
          const minSE = response.status === 422 ? minSEOf422(response) : undefined;
          const cseq = getCSeq(request);
          if (minSE === undefined || retried || !cseq.ok) return undefined;
          // §7.4: "the UAC MAY retry the INVITE ... with a Session-Expires ... at least as large as
          // the Min-SE in the 422" and a Min-SE of that value. §8.1.3.5: the retry is a new
          // transaction (the layer adds a new Via) with CSeq + 1.
          retried = true;
          const headers = request.headers.clone();
          headers.delete('Via');
          headers.set('CSeq', `${cseq.value.seq + 1} INVITE`);
          headers.set('Session-Expires', String(minSE));
          headers.set('Min-SE', String(minSE));
          return { ...request, headers };
        },
        committed(response) {
          if (response) peerUpdate = allowsUpdate(response) ?? peerUpdate;
          // §7.2: the 2xx to our request says what was agreed; a re-negotiation without a
          // Session-Expires keeps the interval in force.
          arm(response ? (agreementFromResponse(response) ?? agreement) : answered);
        },
      };
    },
  };
}
