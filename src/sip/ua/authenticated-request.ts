/**
 * A non-INVITE request sent through a client transaction and re-sent with digest credentials when
 * challenged, RFC 3261 §22.2 and §22.3 (RFC 7616 for the algorithms).
 */
import type { DigestAuthenticator } from '../auth/digest-authenticator';
import { formatUri } from '../message/uri';
import { getAuthValues, getCSeq } from '../message/headers';
import { formatCredentials } from '../auth/challenge';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { TransactionLayer } from '../transaction/transaction-layer';

/** How a request ended, as the transaction user sees it. Never an exception. */
export type RequestOutcome =
  | { readonly kind: 'response'; readonly response: SipResponse; readonly request: SipRequest }
  /** §8.1.3.1: Timer F fired; "treated as a 408 (Request Timeout)". */
  | { readonly kind: 'timeout'; readonly request: SipRequest }
  /** §8.1.3.1: a transport failure; "treated as a 503 (Service Unavailable)". */
  | { readonly kind: 'transport-error'; readonly request: SipRequest }
  /** A second challenge for credentials just sent, or no usable challenge: authentication failed. */
  | { readonly kind: 'auth-failed'; readonly response: SipResponse; readonly request: SipRequest };

/**
 * Sends `request` through `layer` and resolves with its final outcome, answering 401/407 with the
 * credentials of `authenticator` (absent when the account has no password: a challenge then ends
 * as `auth-failed`). Provisional responses are ignored (none of the non-INVITE methods a softphone
 * sends needs them).
 */
export function sendAuthenticated(
  layer: TransactionLayer,
  authenticator: DigestAuthenticator | undefined,
  request: SipRequest,
): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    const attempt = (current: SipRequest): void => {
      layer.sendRequest(current, {
        onFinal: (response) => {
          const { status } = response;
          if (status !== 401 && status !== 407) {
            authenticator?.accepted(
              current.headers.has('Proxy-Authorization') ? 'Proxy-Authenticate' : 'WWW-Authenticate',
            );
            return resolve({ kind: 'response', response, request: current });
          }
          const retry = authenticator && authorizedRetry(authenticator, current, response, status);
          if (retry) attempt(retry);
          else resolve({ kind: 'auth-failed', response, request: current });
        },
        onTimeout: () => resolve({ kind: 'timeout', request: current }),
        onTransportError: () => resolve({ kind: 'transport-error', request: current }),
        // A transaction torn down from outside (the agent stopping) settles as a transport error, so
        // no caller waits forever; resolving twice is harmless once a final outcome was given.
        onTerminated: (reason) => {
          if (reason === 'disposed') resolve({ kind: 'transport-error', request: current });
        },
      });
    };
    attempt(request);
  });
}

/**
 * The request to re-send after a 401/407, or undefined when credentials cannot (or must no longer)
 * be offered.
 */
export function authorizedRetry(
  authenticator: DigestAuthenticator,
  request: SipRequest,
  response: SipResponse,
  status: number,
): SipRequest | undefined {
  const header = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  const challenges = getAuthValues(response, header);
  const cseq = getCSeq(request);
  if (!challenges.ok || !cseq.ok) return undefined;
  const result = authenticator.authorize(
    { method: request.method, uri: formatUri(request.uri), body: request.body },
    challenges.value,
    header,
  );
  if (!result.ok) return undefined;
  const headers = request.headers.clone();
  // §8.1.3.5 / §22.2: the retry is a new request: a new branch (the Via is added by the
  // transaction layer), and "the CSeq header field value MUST be incremented".
  headers.delete('Via');
  headers.set('CSeq', `${cseq.value.seq + 1} ${request.method}`);
  headers.set(result.headerName, formatCredentials(result.value));
  return { ...request, headers };
}
