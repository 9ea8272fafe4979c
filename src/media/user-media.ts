/**
 * Opening the microphone and camera (Media Capture and Streams §9.2) with errors in plain words.
 */
import { mapUserMediaError } from './errors';
import type { MediaDeviceNoun } from './errors';
import type { GetUserMedia, StreamLike, TrackLike } from './peer-connection-port';

export interface UserMediaRequest {
  /** `true`, or constraints (e.g. `{ deviceId: { exact: id } }`); `false`/absent for none. */
  readonly audio?: boolean | MediaTrackConstraints;
  readonly video?: boolean | MediaTrackConstraints;
}

function nounFor(request: UserMediaRequest): MediaDeviceNoun {
  if (request.audio && request.video) return 'microphone and camera';
  return request.video ? 'camera' : 'microphone';
}

/**
 * Calls getUserMedia and returns the stream with its tracks split by kind.
 * @throws (rejects) `MediaAccessError` with a `kind` such as 'permission-denied' or 'no-device'.
 */
export async function openUserMedia(
  getUserMedia: GetUserMedia,
  request: UserMediaRequest,
): Promise<{ stream: StreamLike; audio: TrackLike | undefined; video: TrackLike | undefined }> {
  let stream: StreamLike;
  try {
    stream = await getUserMedia({ audio: request.audio ?? false, video: request.video ?? false });
  } catch (error) {
    throw mapUserMediaError(error, nounFor(request));
  }
  const tracks = stream.getTracks();
  return {
    stream,
    audio: tracks.find((track) => track.kind === 'audio'),
    video: tracks.find((track) => track.kind === 'video'),
  };
}
