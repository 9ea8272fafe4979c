/**
 * Opt-in extensions of the user agent core, the counterpart of the sessions' SessionExtension
 * (session/session-extension.ts). The core is RFC 3261 registration and calls alone; RFC 5626
 * (`outbound()`) and RFC 5627 (`gruu()`) each live in their own module, which only an application
 * that installs them imports (`UserAgentOptions.extensions`).
 *
 * An extension adds option tags to Supported (of REGISTER, and of our answers to OPTIONS, so a
 * request may `Require` them), and hooks into its user agent once, when that is built.
 */
import type { NameAddr, SipUri } from '../message/types';
import type { SipRequest } from '../message/sip-message';
import type { Random } from '../support/random';
import type { KeepAlive } from '../transport/keep-alive';
import type { RequestOutcome } from './authenticated-request';

export interface UserAgentExtension {
  /** Option tags it implements (RFC 3261 §20.37), e.g. `outbound`. */
  readonly tags: readonly string[];
  /** Hooks into one user agent; called by its constructor. */
  attach(ua: UserAgentContext): UserAgentHooks;
}

/** What an extension may read and do. */
export interface UserAgentContext {
  readonly random: Random;
  /** The `instanceId` option, if any (a `urn:`, stable per device). */
  readonly instanceId: string | undefined;
  /** The address of record (From and To of out-of-dialog requests). */
  readonly identity: NameAddr;
  /** The registrar's Request-URI: the AOR's domain. */
  readonly domain: SipUri;
  /** Sends an out-of-dialog non-INVITE request, answering digest challenges. */
  send(request: SipRequest): Promise<RequestOutcome>;
}

/** Where an extension hooks in. Every hook is optional. */
export interface UserAgentHooks {
  /** Parameters of the REGISTER Contact (values as written, quotes included). */
  readonly contactParams?: Readonly<Record<string, string>>;
  /** The keep-alive of the WebSocket transport the user agent builds. */
  readonly keepAlive?: KeepAlive;
  /**
   * The Contact URI of dialog-forming requests and responses, given our binding as the registrar
   * returned it in the last 2xx (undefined while not registered); undefined keeps the registered one.
   */
  dialogContact?(binding: NameAddr | undefined): SipUri | undefined;
}
