/**
 * Stroke icons for the call controls (24×24 grid, `currentColor`), drawn for Ringlet. Always
 * decorative: every control carries its name in text.
 */
import { Icon } from '../../theme/icons';

export const CallIcon = () => (
  <Icon>
    <path d="M6 3h3l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v3a2 2 0 0 1-2 2A17 17 0 0 1 4 5a2 2 0 0 1 2-2z" />
  </Icon>
);

export const HangupIcon = () => (
  <Icon>
    <path d="M3 14.5c5-4.7 13-4.7 18 0l-2 2.5-3.5-1.5v-2.3a10 10 0 0 0-7 0v2.3L5 17z" />
  </Icon>
);

export const VideoIcon = () => (
  <Icon>
    <rect x="3" y="6" width="12" height="12" rx="2" />
    <path d="M15 10l6-3v10l-6-3z" />
  </Icon>
);

export const MicIcon = () => (
  <Icon>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
  </Icon>
);

export const PauseIcon = () => (
  <Icon>
    <path d="M9 5v14M15 5v14" />
  </Icon>
);

export const KeypadIcon = () => (
  <Icon>
    <circle cx="6" cy="5" r="1" />
    <circle cx="12" cy="5" r="1" />
    <circle cx="18" cy="5" r="1" />
    <circle cx="6" cy="11" r="1" />
    <circle cx="12" cy="11" r="1" />
    <circle cx="18" cy="11" r="1" />
    <circle cx="6" cy="17" r="1" />
    <circle cx="12" cy="17" r="1" />
    <circle cx="18" cy="17" r="1" />
  </Icon>
);

export const BackspaceIcon = () => (
  <Icon>
    <path d="M8 5h12v14H8l-5-7z" />
    <path d="M11 9l6 6M17 9l-6 6" />
  </Icon>
);

export const RedialIcon = () => (
  <Icon>
    <path d="M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4" />
  </Icon>
);
