/**
 * The command registry: every command the app knows, in one list shared by buttons, keyboard
 * shortcuts, the shortcuts help and (later) the widget API.
 */
import { appCommands } from './app-commands';
import { callCommands } from './call-commands';
import type { Command, KeyChord } from './command';
import type { PhoneState } from '../../store/index';

export type { Command, CommandUi, KeyChord, Screen } from './command';
export { altShift } from './command';

export const commands: readonly Command[] = [...callCommands, ...appCommands];

export function commandById(id: string): Command | undefined {
  return commands.find((c) => c.id === id);
}

/** The command a key press triggers in this state, if any; the first registered wins. Pure. */
export function commandForKey(
  list: readonly Command[],
  event: KeyChord,
  state: PhoneState,
): Command | undefined {
  return list.find((c) => c.keyTest?.(event) === true && c.enabled(state));
}
