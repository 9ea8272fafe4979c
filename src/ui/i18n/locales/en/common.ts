/** English: the app shell, the status bar and what several screens share. */
export const common = {
  appName: 'Ringlet',
  tagline: 'Browser softphone',
  skipToContent: 'Skip to main content',
  loading: 'Loading…',
  nav: {
    label: 'Main',
    phone: 'Phone',
    history: 'History',
    contacts: 'Contacts',
    settings: 'Settings',
    account: 'Account',
  },
  missedBadge_one: '{{count}} missed call',
  missedBadge_other: '{{count}} missed calls',
  status: {
    label: 'Registration',
    offline: 'Offline',
    connecting: 'Connecting…',
    registered: 'Registered',
    reconnecting: 'Reconnecting…',
    failed: 'Registration failed',
    notConfigured: 'No account set up',
    as: 'as {{uri}}',
    server: 'through {{server}}',
    doNotDisturb: 'Do not disturb',
    reconnectingDetail: 'Trying again by itself.',
  },
  failure: {
    'auth-failed': 'Wrong user name or password.',
    rejected: 'The server refused the registration.',
    rejectedWithStatus: 'The server refused the registration ({{status}}).',
    timeout: 'The server did not answer.',
    transport: 'Cannot connect to the server.',
    detail: 'Details: {{reason}}',
  },
  announce: {
    registered: 'Registered as {{uri}}.',
    offline: 'Disconnected.',
    connecting: 'Connecting to the server.',
    reconnecting: 'Connection lost, reconnecting.',
    failed: 'Registration failed: {{reason}}',
  },
  actions: {
    connect: 'Connect',
    disconnect: 'Disconnect',
    retry: 'Try again',
    setUpAccount: 'Set up an account',
    dismiss: 'Dismiss',
    cancel: 'Cancel',
    close: 'Close',
  },
  notice: {
    invalidUser:
      'The user name “{{value}}” in the page address was ignored: use 1 to 32 characters among a–z, 0–9, dot, underscore and hyphen.',
    devProfile: 'Development profile “{{user}}” on the built-in dev exchange.',
    storageUnavailable:
      'This browser refused storage: settings, history and contacts last only until this tab closes.',
  },
  dial: {
    empty: 'There is no number to call.',
    'invalid-target': 'This number or address cannot be called.',
    'not-connected': 'Not connected: connect your account first.',
    failed: 'The call could not be started.',
  },
  phonePlaceholder: 'The dialpad is on its way.',
  shortcuts: {
    title: 'Keyboard shortcuts',
    intro: 'These work anywhere in the app.',
    none: 'No shortcut',
  },
  commands: {
    showPhone: 'Show the phone',
    showHistory: 'Show the call history',
    showContacts: 'Show the contacts',
    showSettings: 'Show the settings',
    showAccount: 'Show the account',
  },
};

export type CommonMessages = typeof common;
