import { describe, expect, it } from 'vitest';
import { callSelectors, type PhoneStore } from '../../store/index';
import { connectedPhone } from '../../store/testing/test-phone';
import {
  answerCommand,
  callCommands,
  declineCommand,
  dtmfCommand,
  hangupCommand,
  holdCommand,
  muteCommand,
  runCommand,
} from './call-commands';
import { appCommands } from './app-commands';
import type { KeyChord } from './command';
import { commandForKey } from './index';

describe('call commands', () => {
  it('answer acts on the ringing call and is disabled without one', async () => {
    const { store, engine } = await connectedPhone();
    expect(answerCommand.enabled(store.getState())).toBe(false);
    const id = engine.incoming({ name: 'Bob', number: '200' });
    expect(answerCommand.enabled(store.getState())).toBe(true);
    await runCommand(answerCommand, store);
    expect(callSelectors.call(store.getState(), id)?.state).toBe('connected');
  });

  it('hang up declines a ringing call when nothing else is in front', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    await runCommand(hangupCommand, store);
    const call = callSelectors.call(store.getState(), id);
    expect(call?.state).toBe('ended');
    expect(call?.declinedBy).toBe('user');
  });

  it('hang up ends the call in front, not the one waiting', async () => {
    const { store, engine } = await connectedPhone();
    const first = engine.incoming({ name: 'Bob', number: '200' });
    await store.getState().calls.answer(first);
    const second = engine.incoming({ name: 'Carol', number: '300' });
    await runCommand(hangupCommand, store);
    expect(callSelectors.call(store.getState(), first)?.state).toBe('ended');
    expect(callSelectors.call(store.getState(), second)?.state).toBe('ringing');
  });

  it('decline turns the ringing call away', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    await runCommand(declineCommand, store);
    expect(callSelectors.call(store.getState(), id)?.end?.status).toBe(486);
  });

  it('mute and hold toggle the call in front', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    expect(muteCommand.enabled(store.getState())).toBe(false);
    await store.getState().calls.answer(id);
    await runCommand(muteCommand, store);
    expect(callSelectors.call(store.getState(), id)?.muted).toBe(true);
    await runCommand(muteCommand, store);
    expect(callSelectors.call(store.getState(), id)?.muted).toBe(false);
    await runCommand(holdCommand, store);
    expect(callSelectors.call(store.getState(), id)?.state).toBe('on-hold');
    await runCommand(holdCommand, store);
    expect(callSelectors.call(store.getState(), id)?.state).toBe('connected');
  });

  it('hold is disabled before the call is answered', async () => {
    const { store } = await connectedPhone();
    store.getState().calls.dial('200');
    expect(holdCommand.enabled(store.getState())).toBe(false);
  });

  it('DTMF sends only the valid digits in an established call', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    expect(dtmfCommand('1').enabled(store.getState())).toBe(false);
    await store.getState().calls.answer(id);
    await runCommand(dtmfCommand('1x#'), store);
    expect(engine.dtmf).toEqual([`${id}:1#`]);
  });
});

describe('call shortcuts', () => {
  const pressed = (store: PhoneStore, code: string, key: string, extra: Partial<KeyChord> = {}) =>
    commandForKey(
      callCommands,
      { code, key, altKey: true, shiftKey: true, ctrlKey: false, metaKey: false, ...extra },
      store.getState(),
    );

  it('every call shortcut is shown and distinct from the app shortcuts', () => {
    const shown = callCommands.map((c) => c.shortcut);
    expect(shown).toEqual(['Alt+Shift+Enter', 'Alt+Shift+E', 'Alt+Shift+M', 'Alt+Shift+O']);
    const app = new Set(appCommands.map((c) => c.shortcut));
    expect(shown.filter((s) => app.has(s))).toEqual([]);
  });

  it('Alt+Shift+M is the mute command while a call is in front', async () => {
    const { store, engine } = await connectedPhone();
    expect(pressed(store, 'KeyM', 'M')).toBeUndefined();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    await store.getState().calls.answer(id);
    expect(pressed(store, 'KeyM', 'M')).toBe(muteCommand);
    expect(pressed(store, 'KeyM', 'M', { ctrlKey: true })).toBeUndefined();
  });

  it('matches the physical key, so Option+Shift+E on macOS (key "´") still hangs up', async () => {
    const { store, engine } = await connectedPhone();
    engine.incoming({ name: 'Bob', number: '200' });
    expect(pressed(store, 'KeyE', '´')).toBe(hangupCommand);
  });

  it('Alt+Shift+Enter answers, also from the numeric keypad', async () => {
    const { store, engine } = await connectedPhone();
    engine.incoming({ name: 'Bob', number: '200' });
    expect(pressed(store, 'Enter', 'Enter')).toBe(answerCommand);
    expect(pressed(store, 'NumpadEnter', 'Enter')).toBe(answerCommand);
    expect(pressed(store, 'Enter', 'Enter', { shiftKey: false })).toBeUndefined();
  });

  it('Alt+Shift+O holds and resumes', async () => {
    const { store, engine } = await connectedPhone();
    const id = engine.incoming({ name: 'Bob', number: '200' });
    await store.getState().calls.answer(id);
    expect(pressed(store, 'KeyO', 'O')).toBe(holdCommand);
  });
});
