/**
 * Validation of the account form, pure: field path → message (see {@link FieldErrors}). A form that
 * passes builds a UserAgent the core accepts: the SIP URI is checked with the core's own parser.
 */
import { isSipUri, parseNameAddr } from '../../../sip/index';
import { NO_ERRORS, hasErrors, type FieldError, type FieldErrors } from '../../support/validation';

export interface IceServerForm {
  /** One `stun:` / `stuns:` / `turn:` / `turns:` URL (RFC 7064, RFC 7065). */
  readonly urls: string;
  readonly username: string;
  readonly credential: string;
}

export interface AccountForm {
  /** RFC 7118 WebSocket server URLs, tried in order. */
  readonly servers: readonly string[];
  /** Address of record, `sip:user@domain`. */
  readonly uri: string;
  /** Digest user name when it differs from the URI's user. */
  readonly authorizationUser: string;
  readonly password: string;
  /** Keep the password on this device; otherwise it lives in memory only. */
  readonly rememberPassword: boolean;
  readonly displayName: string;
  readonly iceServers: readonly IceServerForm[];
}

export const EMPTY_ACCOUNT_FORM: AccountForm = {
  servers: [''],
  uri: '',
  authorizationUser: '',
  password: '',
  rememberPassword: false,
  displayName: '',
  iceServers: [],
};

export const MAX_DISPLAY_NAME = 64;

export const ACCOUNT_MESSAGES = {
  serverRequired: { code: 'server-required', message: 'Enter at least one ws:// or wss:// URL' },
  serverUrl: { code: 'server-url', message: 'Enter a ws:// or wss:// URL' },
  uri: { code: 'sip-uri', message: 'SIP URI must look like sip:user@domain' },
  authorizationUser: { code: 'authorization-user', message: 'Authorization user cannot contain spaces' },
  displayName: {
    code: 'display-name-too-long',
    message: `Display name must be ${MAX_DISPLAY_NAME} characters or fewer`,
  },
  iceUrl: { code: 'ice-url', message: 'Enter a stun:, stuns:, turn: or turns: URL' },
  turnCredentials: { code: 'turn-credentials', message: 'A TURN server needs a user name and a password' },
} as const satisfies Record<string, FieldError>;

function isWebSocketUrl(text: string): boolean {
  if (!/^wss?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isSipAddressOfRecord(text: string): boolean {
  if (/[<>\s]/.test(text)) return false;
  const parsed = parseNameAddr(`<${text}>`);
  return parsed.ok && isSipUri(parsed.value.uri) && !!parsed.value.uri.user && parsed.value.uri.host !== '';
}

const isBlankIce = (ice: IceServerForm): boolean =>
  !ice.urls.trim() && !ice.username.trim() && !ice.credential;

/** Field-level messages for the account form; an empty object means valid. Pure. */
export function validateAccount(form: AccountForm): FieldErrors {
  const errors: Record<string, FieldError> = {};
  const servers = form.servers.map((s) => s.trim());
  if (!servers.some((s) => s !== '')) errors['servers'] = ACCOUNT_MESSAGES.serverRequired;
  servers.forEach((server, i) => {
    if (server !== '' && !isWebSocketUrl(server)) errors[`servers.${i}`] = ACCOUNT_MESSAGES.serverUrl;
  });
  if (!isSipAddressOfRecord(form.uri.trim())) errors['uri'] = ACCOUNT_MESSAGES.uri;
  if (/\s/.test(form.authorizationUser.trim()))
    errors['authorizationUser'] = ACCOUNT_MESSAGES.authorizationUser;
  if (form.displayName.trim().length > MAX_DISPLAY_NAME) errors['displayName'] = ACCOUNT_MESSAGES.displayName;
  form.iceServers.forEach((ice, i) => {
    if (isBlankIce(ice)) return;
    const urls = ice.urls.trim();
    if (!/^(stuns?|turns?):[^\s]+$/i.test(urls)) errors[`iceServers.${i}`] = ACCOUNT_MESSAGES.iceUrl;
    else if (/^turns?:/i.test(urls) && (!ice.username.trim() || !ice.credential)) {
      errors[`iceServers.${i}`] = ACCOUNT_MESSAGES.turnCredentials;
    }
  });
  return hasErrors(errors) ? errors : NO_ERRORS;
}

/** The form as saved: text trimmed, blank rows dropped. Pure; call on a valid form. */
export function normaliseAccount(form: AccountForm): AccountForm {
  return {
    servers: form.servers.map((s) => s.trim()).filter((s) => s !== ''),
    uri: form.uri.trim(),
    authorizationUser: form.authorizationUser.trim(),
    password: form.password,
    rememberPassword: form.rememberPassword,
    displayName: form.displayName.trim(),
    iceServers: form.iceServers
      .filter((ice) => !isBlankIce(ice))
      .map((ice) => ({ urls: ice.urls.trim(), username: ice.username.trim(), credential: ice.credential })),
  };
}
