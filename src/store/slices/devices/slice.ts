/**
 * Devices slice: microphones, speakers and cameras from the injected `enumerateDevices()`
 * (W3C Media Capture and Streams §9.2), refreshed on `devicechange`. When the selected device
 * disappears (unplugged headset), the setting falls back to the default device, live calls are
 * switched, and `fallback` says which kind fell back so the UI can tell the person.
 */
import type { SliceContext } from '../../phone-state';
import type { DeviceInfoLike } from '../../ports/media-devices';
import { plainText } from '../../support/guards';
import { errorText } from '../../support/log';
import {
  DEVICE_KINDS,
  DEVICE_SETTING,
  pushDevicesToEngine,
  type DeviceKind,
  type Settings,
} from '../settings/slice';

export interface DeviceOption {
  readonly deviceId: string;
  /** Empty until the page has media permission (browsers hide labels before that). */
  readonly label: string;
}

export interface DeviceFallback {
  /** The device that disappeared. */
  readonly deviceId: string;
  readonly label: string;
}

export interface DevicesData {
  readonly status: 'idle' | 'loading' | 'ready' | 'unavailable';
  readonly microphones: readonly DeviceOption[];
  readonly speakers: readonly DeviceOption[];
  readonly cameras: readonly DeviceOption[];
  /** Kinds whose selected device disappeared and fell back to the default. */
  readonly fallback: Readonly<Partial<Record<DeviceKind, DeviceFallback>>>;
}

export interface DevicesSlice extends DevicesData {
  /** Lists devices again; applies the fallback rule. Never rejects. */
  refresh(): Promise<void>;
  /** The person has seen the fallback notice for `kind`. */
  dismissFallback(kind: DeviceKind): void;
}

export const DEVICE_LIST: Readonly<Record<DeviceKind, 'microphones' | 'speakers' | 'cameras'>> = {
  microphone: 'microphones',
  speaker: 'speakers',
  camera: 'cameras',
};

const BROWSER_KIND: Readonly<Record<string, DeviceKind>> = {
  audioinput: 'microphone',
  audiooutput: 'speaker',
  videoinput: 'camera',
};

/** Groups a device list by kind, dropping duplicates and the browser's `default`/`communications` aliases. */
export function groupDevices(devices: readonly DeviceInfoLike[]): Record<DeviceKind, DeviceOption[]> {
  const out: Record<DeviceKind, DeviceOption[]> = { microphone: [], speaker: [], camera: [] };
  for (const device of devices) {
    const kind = BROWSER_KIND[device.kind];
    if (!kind || typeof device.deviceId !== 'string') continue;
    if (device.deviceId === 'default' || device.deviceId === 'communications') continue;
    if (out[kind].some((d) => d.deviceId === device.deviceId)) continue;
    out[kind].push({ deviceId: device.deviceId, label: plainText(device.label) });
  }
  return out;
}

/**
 * Which selections must fall back to the default, pure. A kind is only judged when the list shows
 * real ids: before permission some browsers list devices with an empty id, and the person's choice
 * must survive that.
 */
export function findLostDevices(
  settings: Settings,
  lists: Record<DeviceKind, readonly DeviceOption[]>,
  previous: Record<DeviceKind, readonly DeviceOption[]>,
): Partial<Record<DeviceKind, DeviceFallback>> {
  const lost: Partial<Record<DeviceKind, DeviceFallback>> = {};
  for (const kind of DEVICE_KINDS) {
    const selected = settings[DEVICE_SETTING[kind]];
    if (selected === null) continue;
    const list = lists[kind];
    if (!list.some((d) => d.deviceId !== '')) continue;
    if (list.some((d) => d.deviceId === selected)) continue;
    const label = previous[kind].find((d) => d.deviceId === selected)?.label ?? '';
    lost[kind] = { deviceId: selected, label };
  }
  return lost;
}

export function createDevicesSlice(ctx: SliceContext): DevicesSlice {
  const log = ctx.log.child('devices');
  let request = 0;
  return {
    status: 'idle',
    microphones: [],
    speakers: [],
    cameras: [],
    fallback: {},

    async refresh() {
      const port = ctx.mediaDevices;
      if (!port) {
        ctx.update('devices', { status: 'unavailable' });
        return;
      }
      const mine = ++request;
      ctx.update('devices', { status: 'loading' });
      let devices: readonly DeviceInfoLike[];
      try {
        devices = await port.enumerateDevices();
      } catch (error) {
        log.warn('refresh() | enumerateDevices failed', { error: errorText(error) });
        if (mine === request) ctx.update('devices', { status: 'unavailable' });
        return;
      }
      // A later refresh has newer facts.
      if (mine !== request) return;
      const lists = groupDevices(Array.isArray(devices) ? devices : []);
      const before = ctx.get().devices;
      const lost = findLostDevices(ctx.get().settings.values, lists, {
        microphone: before.microphones,
        speaker: before.speakers,
        camera: before.cameras,
      });
      ctx.update('devices', {
        status: 'ready',
        microphones: lists.microphone,
        speakers: lists.speaker,
        cameras: lists.camera,
        fallback: { ...before.fallback, ...lost },
      });
      const kinds = Object.keys(lost) as DeviceKind[];
      if (kinds.length) {
        log.info('refresh() | selected device gone, using the default', { kinds: kinds.join(',') });
        const patch: Partial<Settings> = {};
        for (const kind of kinds) Object.assign(patch, { [DEVICE_SETTING[kind]]: null });
        ctx.update('settings', (s) => ({ values: { ...s.values, ...patch } }));
        pushDevicesToEngine(ctx);
      }
    },

    dismissFallback(kind) {
      ctx.update('devices', (d) => {
        const fallback = { ...d.fallback };
        delete fallback[kind];
        return { fallback };
      });
    },
  };
}
