/**
 * The SIP core's only public surface: everything outside `src/sip` imports from here.
 */
export * from './parser/parse-result';
export * from './message/types';
export * from './message/header-names';
// Listed, not `export *`: the module's `cacheSlot` is the typed accessors' internal registry.
export {
  SipHeaders,
  createRequest,
  createResponse,
  type HeaderField,
  type HeadersInit,
  type SipRequest,
  type SipResponse,
  type SipMessage,
} from './message/sip-message';
export * from './message/uri';
export * from './message/tel-uri';
export * from './message/header-list';
export * from './message/serialize';
export * from './parser/parse-message';
export * from './message/headers';
export * from './message/utf8';
export * from './parser/parse-header';
export { UserAgent, type UserAgentOptions, type UserAgentEvents } from './ua/user-agent';
export type { RegistrationStatus, RegistrationState, RegistrationFailureCause } from './ua/registration';
export type { RequestOutcome } from './ua/authenticated-request';
export type { UserAgentExtension, UserAgentContext, UserAgentHooks } from './ua/ua-extension';
export { outbound, type OutboundOptions } from './ua/outbound';
export { gruu } from './ua/gruu';
export type { DigestAlgorithms, DigestHash } from './auth/digest';
export { sha512_256 } from './auth/sha512-256';
export { digestVariants } from './auth/digest-variants';
export {
  ConnectError,
  type Transport,
  type TransportState,
  type TransportEvents,
  type TransportError,
} from './transport/transport';
export type { WebSocketConstructor, WebSocketLike } from './transport/websocket-like';
export { WebSocketTransport, type WebSocketTransportOptions } from './transport/websocket-transport';
export {
  crlfKeepAlive,
  type KeepAlive,
  type KeepAliveOptions,
  type Flow,
  type FlowWatch,
} from './transport/keep-alive';
export { LoopbackNetwork, createLoopbackPair } from './transport/loopback-transport';
export type { Clock } from './support/clock';
export { createRandom, type Random } from './support/random';
export { redactSipText, type LogSink, type LogRecord, type LogLevel } from './support/logger';
export { InvalidStateError, InvalidArgumentError, UnsupportedError } from './support/errors';
export {
  InviteSession,
  InviteSessionState,
  type InviteSessionEvents,
  type PendingChange,
  type ChangeOutcome,
  type ProgressInfo,
  type InfoMessage,
} from './session/invite-session';
export { OfferAnswerState } from './session/offer-answer';
export type { CallOptions } from './session/session-layer';
export type {
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  OfferOptions,
} from './session/session-description-handler';
export {
  COMPLETED_ELSEWHERE,
  formatReasonHeader,
  type SessionEnd,
  type EndCause,
  type EndOriginator,
  type ReasonInfo,
} from './session/session-end';
export {
  DEFAULT_SESSION_TIMER,
  sessionTimers,
  type SessionTimerSettings,
  type SessionTimerAgreement,
} from './session/session-timer';
export type {
  SessionExtension,
  SessionHooks,
  SessionContext,
  HeaderFields,
  Respond,
} from './session/session-extension';
export { reliableProvisionals } from './session/reliable-provisionals';
export { updateMethod } from './session/update-method';
export { renegotiation, hold, unhold, renegotiate, type RenegotiateOptions } from './session/renegotiation';
export { infoMethod, sendInfo } from './session/info-method';
export { Emitter, type EventMap } from './support/emitter';
export { createLogger, silentLogger, type Logger } from './support/logger';
