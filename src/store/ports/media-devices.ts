/**
 * The media-devices port: `navigator.mediaDevices.enumerateDevices()` and its `devicechange` event
 * (W3C Media Capture and Streams §9.2), injected so the store runs in Node.
 */

/** The part of a `MediaDeviceInfo` the store reads. */
export interface DeviceInfoLike {
  readonly deviceId: string;
  readonly kind: string;
  readonly label: string;
  readonly groupId?: string;
}

export interface MediaDevicesPort {
  enumerateDevices(): Promise<readonly DeviceInfoLike[]>;
  /** Subscribes to `devicechange`; returns the unsubscribe function. */
  onDeviceChange(listener: () => void): () => void;
}

/** The browser's `navigator.mediaDevices`, or `undefined` where there is none (Node, insecure page). */
export function browserMediaDevices(): MediaDevicesPort | undefined {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.enumerateDevices) return undefined;
  return {
    enumerateDevices: () => devices.enumerateDevices(),
    onDeviceChange(listener) {
      devices.addEventListener('devicechange', listener);
      return () => devices.removeEventListener('devicechange', listener);
    },
  };
}
