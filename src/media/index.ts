/**
 * The media layer's public surface: what the store's call glue uses. Test doubles
 * (`fake-peer-connection.ts`) are imported directly by tests, never from here.
 */
export { MediaSession, createMediaSessionFactory } from './media-session';
export type {
  AnswerOptions,
  DeviceSelection,
  DeviceSwitch,
  DtmfOptions,
  HoldState,
  MediaDependencies,
  MediaLogger,
  MediaSessionConfig,
  MediaSessionEvents,
  MediaSessionHandle,
  OfferOptions,
  SetAnswerOptions,
} from './media-session';
export { browserMediaDependencies } from './browser-media';
export {
  MediaAccessError,
  MediaArgumentError,
  MediaNegotiationError,
  MediaStateError,
  MediaUnsupportedError,
  mapUserMediaError,
} from './errors';
export type { MediaAccessErrorKind } from './errors';
export type { MediaStats, RtpCounters, TransportSummary, VideoCounters } from './stats';
export { summariseStats } from './stats';
export { DEFAULT_AUDIO_PREFERENCE, explainIncompatibility, localCapabilitiesFrom } from './sdp/codecs';
export type { LocalCapabilities } from './sdp/codecs';
export type {
  CreatePeerConnection,
  GetCapabilities,
  GetUserMedia,
  MediaTimers,
  PeerConnectionLike,
  StreamLike,
  TrackLike,
} from './peer-connection-port';
