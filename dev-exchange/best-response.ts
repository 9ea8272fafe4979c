/**
 * Choosing the best final response of a forked request, RFC 3261 §16.7 step 6.
 */
import type { SipResponse } from '../src/sip/index';

/**
 * §16.7 step 6: "The proxy SHOULD give preference to responses that provide information affecting
 * resubmission of this request, such as 401, 407, 415, 420, and 484 if the 4xx class is chosen."
 */
const RESUBMISSION_HINTS = new Set([401, 407, 415, 420, 484]);

/**
 * Responses that only say a branch did not answer. Ranked after other 4xx so a caller learns that
 * one device was busy (486) rather than that another one timed out (408).
 */
const NON_ANSWERS = new Set([408, 480, 487]);

function rank(status: number): number {
  const cls = Math.floor(status / 100);
  // §16.7 step 6: "It MUST choose from the 6xx class responses if any exist in the context. If no
  // 6xx class responses are present, the proxy SHOULD choose from the lowest response class stored
  // in the response context. The proxy MAY select any response within that chosen class."
  const classRank = cls === 6 ? 0 : cls;
  let inClass = 1;
  if (cls === 4 && RESUBMISSION_HINTS.has(status)) inClass = 0;
  else if (NON_ANSWERS.has(status)) inClass = 2;
  return classRank * 10 + inClass;
}

/** The best of the final responses gathered, the earliest one on a tie; undefined for none. */
export function chooseBestResponse(finals: readonly SipResponse[]): SipResponse | undefined {
  let best: SipResponse | undefined;
  for (const r of finals) {
    if (best === undefined || rank(r.status) < rank(best.status)) best = r;
  }
  return best;
}
