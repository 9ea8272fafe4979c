/**
 * A small registrar for two-party tests over the loopback network: it challenges with digest
 * (RFC 3261 §22, MD5 qop=auth), checks the answer with our own digest code, and grants a shorter
 * expiry than asked so tests can tell the two apart. Behaviour can be scripted per test.
 */
import { computeDigestResponse, parseDigestAlgorithm } from '../auth/digest';
import { getAuthValues, getContact, getExpires } from '../message/headers';
import type { SipRequest } from '../message/sip-message';
import { serializeMessage } from '../message/serialize';
import { formatUri } from '../message/uri';
import { parseMessage } from '../parser/parse-message';
import type { LoopbackTransport } from '../transport/loopback-transport';
import { createResponseTo } from '../ua/response-factory';

export interface ScriptedRegistrarOptions {
  readonly realm?: string;
  readonly users?: Record<string, string>;
  /** Seconds granted at most. */
  readonly maxExpires?: number;
  /** When set, expiries below it get 423 with this Min-Expires. */
  readonly minExpires?: number;
  /** Adds `pub-gruu` to the granted binding. */
  readonly gruu?: string;
  /** Return a status to answer with instead of the normal behaviour (e.g. 503), or undefined. */
  readonly override?: (request: SipRequest) => number | undefined;
}

/** Phrases of the registrar's own answers; the core's table holds only what a UA sends. */
const PHRASES: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  423: 'Interval Too Brief',
  503: 'Service Unavailable',
};

export class ScriptedRegistrar {
  readonly received: SipRequest[] = [];
  /** Current bindings: contact URI text → expires. */
  readonly bindings = new Map<string, number>();
  nonce = 'nonce-1';
  readonly #endpoint: LoopbackTransport;
  readonly #options: ScriptedRegistrarOptions;

  constructor(endpoint: LoopbackTransport, options: ScriptedRegistrarOptions = {}) {
    this.#endpoint = endpoint;
    this.#options = options;
    endpoint.on('message', (text) => this.#receive(text));
  }

  get registers(): SipRequest[] {
    return this.received.filter((r) => r.method === 'REGISTER');
  }

  #receive(text: string): void {
    const parsed = parseMessage(text);
    if (!parsed.ok || parsed.value.kind !== 'request') return;
    const request = parsed.value;
    this.received.push(request);
    const reply = (status: number, headers: Array<[string, string]> = []): void => {
      const response = createResponseTo(request, status, {
        toTag: 'reg-tag',
        headers,
        reason: PHRASES[status],
      });
      this.#endpoint.send(serializeMessage(response));
    };
    const forced = this.#options.override?.(request);
    if (forced !== undefined) return reply(forced, forced === 503 ? [['Retry-After', '7']] : []);
    if (request.method !== 'REGISTER') return reply(200);

    const realm = this.#options.realm ?? 'ringlet.test';
    const credentials = getAuthValues(request, 'Authorization');
    const answer = credentials.ok ? credentials.value[0] : undefined;
    const challenge: [string, string] = [
      'WWW-Authenticate',
      `Digest realm="${realm}", nonce="${this.nonce}", qop="auth", algorithm=MD5`,
    ];
    if (!answer) return reply(401, [challenge]);
    const p = answer.params;
    const password = (this.#options.users ?? { alice: 'alice-secret' })[p['username'] ?? ''];
    const expected =
      password === undefined
        ? undefined
        : computeDigestResponse({
            algorithm: parseDigestAlgorithm('MD5')!,
            username: p['username'] ?? '',
            realm,
            password,
            method: 'REGISTER',
            uri: p['uri'] ?? '',
            nonce: p['nonce'] ?? '',
            cnonce: p['cnonce'] ?? '',
            nc: p['nc'] ?? '',
            qop: 'auth',
          });
    if (expected === undefined || expected !== p['response'] || p['nonce'] !== this.nonce)
      return reply(401, [challenge]);

    const contact = getContact(request);
    const asked = getExpires(request);
    if (!contact.ok || !contact.value || contact.value.star || !asked.ok) return reply(400);
    const binding = contact.value.contacts[0]!;
    const param = binding.params['expires'];
    const wanted = param != null ? Number(param) : (asked.value ?? 3600);
    const min = this.#options.minExpires;
    if (min !== undefined && wanted > 0 && wanted < min) return reply(423, [['Min-Expires', String(min)]]);
    const key = formatUri(binding.uri);
    if (wanted === 0) this.bindings.delete(key);
    else this.bindings.set(key, Math.min(wanted, this.#options.maxExpires ?? 300));
    const listed = [...this.bindings].map(([uri, expires]) => {
      const instance = binding.params['+sip.instance'];
      const extra = uri === key && instance ? `;+sip.instance="${instance}"` : '';
      const gruu = uri === key && this.#options.gruu ? `;pub-gruu="${this.#options.gruu}"` : '';
      return `<${uri}>;expires=${expires}${extra}${gruu}`;
    });
    reply(200, listed.length ? [['Contact', listed.join(', ')]] : []);
  }
}
