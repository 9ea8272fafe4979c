import type { PhoneState } from '../../phone-state';
import type { DeviceKind } from '../settings/slice';
import { DEVICE_LIST } from './slice';

/** Named selectors for device pickers. */
export const deviceSelectors = {
  status: (s: PhoneState) => s.devices.status,
  list: (s: PhoneState, kind: DeviceKind) => s.devices[DEVICE_LIST[kind]],
  /** The fallback notice for a kind, or null. */
  fallback: (s: PhoneState, kind: DeviceKind) => s.devices.fallback[kind] ?? null,
  hasCamera: (s: PhoneState) => s.devices.cameras.length > 0,
};
