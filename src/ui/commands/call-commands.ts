/**
 * Call commands: answer, decline, hang up, mute, hold and DTMF, each registered once and shared by
 * the call screens' buttons, the keyboard shortcuts and (later) the widget API.
 *
 * They act on "the call in front": the active call when it is live, else the incoming call that is
 * ringing. Shortcuts use Alt+Shift (see `altShift` in command.ts):
 *
 * | command | shortcut | why this key |
 * | --- | --- | --- |
 * | answer | Alt+Shift+Enter | Alt+Shift+A is Chrome's "focus inactive dialog" on Windows/Linux |
 * | hang up / decline | Alt+Shift+E | "end"; Alt+H would open Firefox's Help menu |
 * | mute / unmute | Alt+Shift+M | |
 * | hold / resume | Alt+Shift+O | "on hold"; H is taken by hang-up's mnemonic and the History screen |
 * | DTMF | digits, `*`, `#` | only while the in-call keypad has focus, so typing elsewhere is unaffected |
 *
 * The shell's `useCommandShortcuts` runs them; a shortcut whose command is disabled is not consumed,
 * so the browser's own use of the chord (or a character typed with Option on macOS) goes through.
 */
import { callSelectors, type CallEntry, type PhoneState, type PhoneStore } from '../../store/index';
import { altShift, type Command, type KeyChord } from './command';

const ESTABLISHED = new Set<CallEntry['state']>(['connected', 'on-hold', 'held-by-remote']);

/** The live call in front of the person, or null. */
export function frontCall(state: PhoneState): CallEntry | null {
  const call = callSelectors.activeCall(state);
  return call && call.state !== 'ended' ? call : null;
}

/** The call Answer / Decline act on: the oldest incoming call still ringing (call waiting included). */
export function ringingCall(state: PhoneState): CallEntry | null {
  return callSelectors.incomingCall(state);
}

/** The call Hang up acts on: the call in front, else the ringing call (which it declines). */
function hangupTarget(state: PhoneState): CallEntry | null {
  return frontCall(state) ?? ringingCall(state);
}

function establishedFront(state: PhoneState): CallEntry | null {
  const call = frontCall(state);
  return call && ESTABLISHED.has(call.state) ? call : null;
}

function altShiftEnter(event: KeyChord): boolean {
  return (
    event.altKey &&
    event.shiftKey &&
    !event.ctrlKey &&
    !event.metaKey &&
    (event.key === 'Enter' || event.code === 'Enter' || event.code === 'NumpadEnter')
  );
}

export const answerCommand: Command = {
  id: 'call.answer',
  label: 'calls:command.answer',
  shortcut: 'Alt+Shift+Enter',
  enabled: (state) => ringingCall(state) !== null,
  perform(store) {
    const call = ringingCall(store.getState());
    if (!call) return;
    // Answering while another call is established holds that call first (call waiting).
    return store.getState().calls.answer(call.id, { video: false });
  },
  keyTest: altShiftEnter,
};

export const answerVideoCommand: Command = {
  id: 'call.answerVideo',
  label: 'calls:incoming.answerVideo',
  enabled: (state) => ringingCall(state) !== null,
  perform(store) {
    const call = ringingCall(store.getState());
    if (!call) return;
    return store.getState().calls.answer(call.id, { video: true });
  },
};

export const declineCommand: Command = {
  id: 'call.decline',
  label: 'calls:incoming.decline',
  enabled: (state) => ringingCall(state) !== null,
  perform(store) {
    const call = ringingCall(store.getState());
    if (!call) return;
    return store.getState().calls.decline(call.id);
  },
};

export const hangupCommand: Command = {
  id: 'call.hangup',
  label: 'calls:command.hangup',
  shortcut: 'Alt+Shift+E',
  enabled: (state) => hangupTarget(state) !== null,
  perform(store) {
    const call = hangupTarget(store.getState());
    if (!call) return;
    // The store declines a ringing incoming call and ends any other (CANCEL or BYE).
    return store.getState().calls.hangup(call.id);
  },
  keyTest: altShift('E'),
};

export const muteCommand: Command = {
  id: 'call.mute',
  label: 'calls:command.mute',
  shortcut: 'Alt+Shift+M',
  enabled: (state) => frontCall(state) !== null,
  perform(store) {
    const call = frontCall(store.getState());
    if (!call) return;
    store.getState().calls.setMuted(call.id, !call.muted);
  },
  keyTest: altShift('M'),
};

export const holdCommand: Command = {
  id: 'call.hold',
  label: 'calls:command.hold',
  shortcut: 'Alt+Shift+O',
  enabled: (state) => establishedFront(state) !== null,
  perform(store) {
    const call = establishedFront(store.getState());
    if (!call) return;
    const calls = store.getState().calls;
    return call.onHold ? calls.resume(call.id) : calls.hold(call.id);
  },
  keyTest: altShift('O'),
};

/** Sends DTMF `digits` (RFC 4733 / INFO below the store) in the established call in front. */
export function dtmfCommand(digits: string): Command {
  return {
    id: `call.dtmf.${digits}`,
    label: 'calls:command.dtmf',
    enabled: (state) => establishedFront(state) !== null,
    perform(store) {
      const call = establishedFront(store.getState());
      if (!call) return;
      store.getState().calls.sendDtmf(call.id, digits);
    },
  };
}

/** The call commands that have a keyboard shortcut, in the order of the shortcuts list. */
export const callCommands: readonly Command[] = [answerCommand, hangupCommand, muteCommand, holdCommand];

/** Runs a command if it is enabled now; commands never throw for a state they accept. */
export function runCommand(command: Command, store: PhoneStore): Promise<void> {
  if (!command.enabled(store.getState())) return Promise.resolve();
  return Promise.resolve(command.perform(store, {}));
}
