/**
 * The phone layer's public surface (see contract.md): the call glue between the SIP core and the
 * media layer, and the call API the store wraps.
 */
export {
  createPhone,
  Phone,
  type AccountConfig,
  type PhoneEvents,
  type PhoneMediaConfig,
  type PhoneOptions,
  type PlaceCallOptions,
} from './phone';
export { Call, type AnswerCallOptions, type CallEvents, type CallHoldState, type CallState } from './call';
export {
  describeCallEnd,
  describeStatus,
  describeWarnings,
  parseWarnings,
  type CallEndCause,
  type CallEndInfo,
  type EndContext,
  type WarningValue,
} from './call-end';
export {
  chooseDtmfPath,
  formatDtmfRelay,
  isDtmfTones,
  parseDtmfInfo,
  sendDtmf,
  DTMF_CONTENT_TYPE,
  DTMF_RELAY_CONTENT_TYPE,
  INFO_DTMF_DURATION_MS,
  type DtmfMode,
  type DtmfParseResult,
  type DtmfPath,
  type DtmfResult,
  type DtmfTransport,
  type ReceivedDtmf,
} from './dtmf';
export {
  partyFromNameAddr,
  partyFromTarget,
  plainDisplayName,
  remoteIdentity,
  type RemoteParty,
} from './remote-identity';
export {
  SessionDescriptionAdapter,
  type SessionDescriptionAdapterOptions,
} from './session-description-adapter';
export { parseTarget, type TargetError, type TargetErrorCode, type TargetResult } from './target';
export type { ChangeOutcome, RegistrationStatus } from '../sip/index';
export type { DeviceSelection, DeviceSwitch, MediaStats } from '../media/index';
