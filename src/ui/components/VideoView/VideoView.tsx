/**
 * Media elements for a call's streams, which the store hands out through `store.streams(callId)`
 * (never through state). `VideoView` shows the local camera (muted: we must not hear ourselves) or the
 * remote video (which also plays the remote audio); `RemoteAudio` plays an audio-only call.
 *
 * Streams appear when the call's media is set up and change on renegotiation, so they are read again
 * whenever the call's state changes, and once a second while no stream is there yet. The chosen
 * speaker is applied with `setSinkId` (Audio Output Devices API §2) where the browser has it.
 */
import { useEffect, useRef, useState } from 'react';
import { usePhone, usePhoneStore } from '../../phone-context';
import { callSelectors, settingsSelectors } from '../../../store/index';
import './VideoView.css';

type Side = 'local' | 'remote';

/** The call's stream on `side`, kept fresh; null while there is none. */
export function useCallStream(callId: string, side: Side): MediaStream | null {
  const store = usePhoneStore();
  const state = usePhone((s) => callSelectors.call(s, callId)?.state);
  const [stream, setStream] = useState<MediaStream | null>(() => store.streams(callId)?.[side] ?? null);
  useEffect(() => {
    const read = () => setStream(store.streams(callId)?.[side] ?? null);
    read();
    if (stream) return;
    const handle = setInterval(read, 1000);
    return () => clearInterval(handle);
  }, [store, callId, side, state, stream]);
  return stream;
}

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

function useMediaElement<E extends HTMLMediaElement>(stream: MediaStream | null, playsAudio: boolean) {
  const ref = useRef<E>(null);
  const speakerId = usePhone((s) => settingsSelectors.selectedDevice(s, 'speaker'));
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (element.srcObject !== stream) element.srcObject = stream;
    if (stream) element.play?.()?.catch(() => undefined);
  }, [stream]);
  useEffect(() => {
    const element = ref.current as SinkElement | null;
    if (!playsAudio || !element || typeof element.setSinkId !== 'function') return;
    // Failing (device gone) keeps the current output; the devices slice falls back to the default.
    element.setSinkId(speakerId ?? '').catch(() => undefined);
  }, [speakerId, playsAudio]);
  return ref;
}

export interface VideoViewProps {
  readonly callId: string;
  readonly side: Side;
  /** Names the video for assistive technology. */
  readonly label: string;
  /** The local camera is switched off by the person. */
  readonly hidden?: boolean;
}

export function VideoView({ callId, side, label, hidden = false }: VideoViewProps) {
  const stream = useCallStream(callId, side);
  const ref = useMediaElement<HTMLVideoElement>(stream, side === 'remote');
  return (
    <figure className={`video-view video-view--${side}`} data-empty={stream && !hidden ? undefined : 'true'}>
      <video
        ref={ref}
        aria-label={label}
        autoPlay
        playsInline
        // The local preview is muted so we never hear ourselves.
        muted={side === 'local'}
        hidden={hidden}
      />
    </figure>
  );
}

export function RemoteAudio({ callId }: { readonly callId: string }) {
  const stream = useCallStream(callId, 'remote');
  const ref = useMediaElement<HTMLAudioElement>(stream, true);
  return <audio ref={ref} autoPlay className="remote-audio" />;
}
