import { describe, expect, it } from 'vitest';
import { connectedPhone, createTestPhone } from '../../store/testing/test-phone';
import type { Screen } from './command';
import { commandById, commandForKey, commands, type KeyChord } from './index';

const chord = (patch: Partial<KeyChord>): KeyChord => ({
  key: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...patch,
});

describe('command registry', () => {
  it('registers every command once, each with a label and the shortcut it shows', () => {
    const ids = commands.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['app.show.history', 'call.answer', 'call.hangup', 'call.mute']),
    );
    for (const command of commands) expect(command.label).toMatch(/^[a-z]+:/);
  });

  it('no two shortcuts are the same chord', () => {
    const shortcuts = commands.map((c) => c.shortcut).filter(Boolean);
    expect(new Set(shortcuts).size).toBe(shortcuts.length);
  });

  it('Alt+Shift+2 shows the history, whatever the keyboard layout puts on the key', () => {
    const phone = createTestPhone();
    const command = commandForKey(
      commands,
      chord({ key: '"', code: 'Digit2', altKey: true, shiftKey: true }),
      phone.store.getState(),
    );
    expect(command?.id).toBe('app.show.history');
    const shown: Screen[] = [];
    void command?.perform(phone.store, { navigate: (s) => shown.push(s) });
    expect(shown).toEqual(['history']);
  });

  it('a plain digit is not a shortcut (it is typing)', () => {
    const phone = createTestPhone();
    expect(
      commandForKey(commands, chord({ key: '2', code: 'Digit2' }), phone.store.getState()),
    ).toBeUndefined();
  });

  it('a disabled command does not take its key: mute without a call', async () => {
    const phone = await connectedPhone();
    const mute = chord({ key: 'M', code: 'KeyM', altKey: true, shiftKey: true });
    expect(commandForKey(commands, mute, phone.store.getState())).toBeUndefined();
    phone.store.getState().calls.dial('1002');
    expect(commandForKey(commands, mute, phone.store.getState())?.id).toBe('call.mute');
  });

  it('finds commands by id', () => {
    expect(commandById('app.show.account')?.shortcut).toBe('Alt+Shift+5');
    expect(commandById('nope')).toBeUndefined();
  });
});
