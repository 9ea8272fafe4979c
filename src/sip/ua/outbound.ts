/**
 * RFC 5626 "outbound" as an opt-in user agent extension: the REGISTER Contact carries
 * `+sip.instance` and `reg-id` (§4.2), Supported lists `outbound` and `path`, and the WebSocket
 * transport keeps its flow alive with CRLF pings and dead-flow detection (§4.4.1,
 * transport/keep-alive.ts), falling back to OPTIONS pings for servers that ignore CRLF.
 * Flow recovery (§4.4.1: register again over the new flow) is the core's re-registration after
 * a reconnection.
 */
import type { KeepAliveOptions } from '../transport/keep-alive';
import { crlfKeepAlive } from '../transport/keep-alive';
import { instanceParam } from './instance-id';
import { buildRequest } from './request-builder';
import type { UserAgentExtension } from './ua-extension';

export interface OutboundOptions {
  /** Nominal keep-alive interval; 0 disables the keep-alive. Default 25000. */
  readonly keepAliveIntervalMs?: number;
  /** Wait for a pong or an OPTIONS answer before declaring the flow dead. Default 10000. */
  readonly pongTimeoutMs?: number;
}

export function outbound(options: OutboundOptions = {}): UserAgentExtension {
  const { keepAliveIntervalMs = 25_000, pongTimeoutMs } = options;
  return {
    tags: ['outbound', 'path'],
    attach: (ua) => {
      const keepAlive: KeepAliveOptions = {
        intervalMs: keepAliveIntervalMs,
        ...(pongTimeoutMs === undefined ? {} : { pongTimeoutMs }),
        // Any final response to an OPTIONS sent to the registrar's domain proves the flow alive.
        optionsPing: () =>
          ua
            .send(
              buildRequest('OPTIONS', ua.domain, {
                to: { uri: ua.domain, params: {} },
                from: { uri: ua.identity.uri, params: { tag: ua.random.tag() } },
                callId: ua.random.callId(),
                seq: 1,
              }),
            )
            .then((outcome) => 'response' in outcome),
      };
      return {
        contactParams: { '+sip.instance': instanceParam(ua), 'reg-id': '1' },
        ...(keepAliveIntervalMs > 0 ? { keepAlive: crlfKeepAlive(keepAlive) } : {}),
      };
    },
  };
}
