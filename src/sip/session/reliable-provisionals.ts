/**
 * RFC 3262 reliable provisional responses, as their UAC: an opt-in session extension. We send
 * `Supported: 100rel` and PRACK each reliable 101–199 once, in RSeq order. As a UAS we never send
 * reliable provisionals, so an INVITE that requires 100rel still gets 420 (RFC 3262 §3 leaves a UAS
 * that does not support it no other answer).
 */
import { getCSeq, getRequire, getRSeq } from '../message/headers';
import type { Dialog } from '../dialog/dialog';
import { transact, type SessionExtension } from './session-extension';

export function reliableProvisionals(): SessionExtension {
  return {
    tag: '100rel',
    attach(context) {
      /** The RSeq last acknowledged on each early dialog. */
      const acknowledged = new WeakMap<Dialog, number>();
      return {
        provisional(response, dialog) {
          const require = getRequire(response);
          const rseq = getRSeq(response);
          const cseq = getCSeq(response);
          if (!require.ok || !require.value.some((t) => t.toLowerCase() === '100rel')) return true;
          if (!rseq.ok || rseq.value === undefined || !cseq.ok) return true;
          // §4: "If the UAC receives another reliable provisional response to the same request, and
          // its RSeq value is not one higher than the value of the sequence number, that response
          // MUST NOT be acknowledged with a PRACK, and MUST NOT be processed further by the UAC."
          const last = acknowledged.get(dialog);
          if (last !== undefined && rseq.value !== last + 1) return false;
          acknowledged.set(dialog, rseq.value);
          void transact(
            context,
            dialog.createRequest('PRACK', { headers: [['RAck', `${rseq.value} ${cseq.value.seq} INVITE`]] }),
          );
          return true;
        },
      };
    },
  };
}
