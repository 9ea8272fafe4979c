import type { PhoneState } from '../../phone-state';
import { DEVICE_SETTING, type DeviceKind } from './slice';

/** Named selectors for the settings screen and app chrome. */
export const settingsSelectors = {
  values: (s: PhoneState) => s.settings.values,
  theme: (s: PhoneState) => s.settings.values.theme,
  language: (s: PhoneState) => s.settings.values.language,
  ringtoneVolume: (s: PhoneState) => s.settings.values.ringtoneVolume,
  doNotDisturb: (s: PhoneState) => s.settings.values.doNotDisturb,
  autoAnswer: (s: PhoneState) => s.settings.values.autoAnswer,
  lastDialled: (s: PhoneState) => s.settings.values.lastDialled,
  selectedDevice: (s: PhoneState, kind: DeviceKind) => s.settings.values[DEVICE_SETTING[kind]],
};
