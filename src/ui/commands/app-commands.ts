/**
 * The app shell's own commands: moving between screens. Alt+Shift+digit, so they never collide with
 * the call commands' letters.
 */
import type { Command, KeyChord, Screen } from './command';

function altShiftDigit(digit: number): (event: KeyChord) => boolean {
  return (event) =>
    event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === `Digit${digit}`;
}

function showScreen(screen: Screen, digit: number, label: string): Command {
  return {
    id: `app.show.${screen}`,
    label,
    shortcut: `Alt+Shift+${digit}`,
    enabled: () => true,
    perform: (_store, ui) => ui.navigate?.(screen),
    keyTest: altShiftDigit(digit),
  };
}

export const appCommands: readonly Command[] = [
  showScreen('phone', 1, 'common:commands.showPhone'),
  showScreen('history', 2, 'common:commands.showHistory'),
  showScreen('contacts', 3, 'common:commands.showContacts'),
  showScreen('settings', 4, 'common:commands.showSettings'),
  showScreen('account', 5, 'common:commands.showAccount'),
];
