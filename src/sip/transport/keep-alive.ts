/**
 * CRLF keep-alive with dead-flow detection, RFC 5626 §3.5.1 and §4.4.1, with an OPTIONS fallback
 * for servers that never answer CRLF pings (Kamailio's websocket module swallows them). Opt-in: the
 * `outbound()` extension installs it on the WebSocket transport; without it a connection is only
 * declared lost by its close event.
 */
import type { Clock, TimerHandle } from '../support/clock';
import type { Random } from '../support/random';
import { CRLF_PING } from './framing';

/** One live connection, as a keep-alive sees it. */
export interface Flow {
  readonly clock: Clock;
  readonly random: Random;
  /** Sends a raw frame; a failure shows as no pong, or as the close event of a broken socket. */
  send(frame: string): void;
  /** Declares the flow dead: the transport drops it and reconnects. */
  fail(why: string): void;
}

/** The keep-alive of one flow: told of each pong, stopped when the flow is left. */
export interface FlowWatch {
  pong(): void;
  stop(): void;
}

/** Starts watching a flow that has just been established. */
export type KeepAlive = (flow: Flow) => FlowWatch;

export interface KeepAliveOptions {
  /** Nominal ping interval. Default 25000. */
  readonly intervalMs?: number;
  /** Wait for a pong, or for the OPTIONS fallback (RFC 5626 §4.4.1 uses 10 s). Default 10000. */
  readonly pongTimeoutMs?: number;
  /**
   * The UA core's OPTIONS ping: resolves true on any response to an OPTIONS sent to the server.
   * Used instead of CRLF pings for a server that never answers them.
   */
  readonly optionsPing?: () => Promise<boolean>;
}

/** A uniform fraction in [0, 1) from the injected random source (32 bits). */
export function fraction(random: Random): number {
  return parseInt(random.hex(4), 16) / 2 ** 32;
}

export function crlfKeepAlive(options: KeepAliveOptions = {}): KeepAlive {
  const { intervalMs = 25_000, pongTimeoutMs = 10_000, optionsPing } = options;
  return (flow) => {
    const { clock } = flow;
    let timer: TimerHandle | undefined;
    /** Whether the server answers CRLF pings: unknown until the first ping. */
    let ponging: boolean | undefined;
    /** What the ping in flight waits for: a pong, or one OPTIONS ping (by identity). */
    let awaiting: 'pong' | object | undefined;
    const arm = (ms: number, fire: () => void): void => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = clock.setTimeout(fire, ms);
    };
    // RFC 5626 §4.4.1 spreads keep-alives between 80 % and 100 % of the interval so that clients
    // do not synchronise.
    const next = (): void => {
      awaiting = undefined;
      arm(Math.round(intervalMs * (0.8 + 0.2 * fraction(flow.random))), ping);
    };
    /**
     * One round. Only a server that has proved it answers CRLF pings can be declared dead by a
     * missing pong; for the others the OPTIONS ping decides, when given; without it the pings still
     * refresh NAT bindings but nothing is declared.
     */
    const ping = (): void => {
      if (ponging === false && optionsPing) {
        const mine = (awaiting = {});
        const settle = (alive: boolean): void => {
          if (awaiting !== mine) return;
          if (alive) next();
          else flow.fail('OPTIONS ping failed');
        };
        arm(pongTimeoutMs, () => settle(false));
        // A throwing or rejecting hook counts as a failed ping.
        new Promise<boolean>((resolve) => resolve(optionsPing())).then(
          (answered) => settle(answered === true),
          () => settle(false),
        );
        return;
      }
      flow.send(CRLF_PING);
      if (ponging === false) return next();
      awaiting = 'pong';
      arm(pongTimeoutMs, () => {
        // RFC 5626 §4.4.1: a ping left without a pong for the timeout means the flow has failed.
        if (ponging) return flow.fail('no pong');
        // NOTE: deviates from RFC 5626 §4.4.1 on purpose: a server that has never answered a ping
        // probably does not implement the CRLF keep-alive at all, so its silence proves nothing.
        ponging = false;
        next();
      });
    };
    next();
    return {
      pong: () => {
        ponging = true;
        if (awaiting === 'pong') next();
      },
      stop: () => {
        awaiting = undefined;
        if (timer !== undefined) clock.clearTimeout(timer);
      },
    };
  };
}
