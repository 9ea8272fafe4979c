/**
 * The real browser behind the media ports. Assigning the DOM objects to the port types here makes
 * the compiler prove that RTCPeerConnection, MediaStream and RTCRtpSender fit them.
 */
import type {
  CreateMediaStream,
  CreatePeerConnection,
  GetCapabilities,
  GetUserMedia,
} from './peer-connection-port';
import type { MediaDependencies, MediaLogger } from './media-session';

/**
 * Dependencies for a browser page. `getUserMedia` rejects with a `SecurityError` where
 * `navigator.mediaDevices` is missing (a page not served over HTTPS or localhost), which
 * `mapUserMediaError` turns into 'insecure-context'.
 */
export function browserMediaDependencies(logger?: MediaLogger): MediaDependencies {
  const createPeerConnection: CreatePeerConnection = (configuration) => new RTCPeerConnection(configuration);
  const getUserMedia: GetUserMedia = (constraints) => {
    const devices = globalThis.navigator?.mediaDevices;
    if (!devices?.getUserMedia) {
      return Promise.reject(new DOMException('navigator.mediaDevices is unavailable', 'SecurityError'));
    }
    return devices.getUserMedia(constraints);
  };
  const createMediaStream: CreateMediaStream = (tracks) => new MediaStream(tracks as MediaStreamTrack[]);
  const getCapabilities: GetCapabilities | undefined =
    typeof RTCRtpSender !== 'undefined' && typeof RTCRtpSender.getCapabilities === 'function'
      ? (kind) => RTCRtpSender.getCapabilities(kind)
      : undefined;
  return {
    createPeerConnection,
    getUserMedia,
    createMediaStream,
    ...(getCapabilities ? { getCapabilities } : {}),
    ...(logger ? { logger } : {}),
  };
}
