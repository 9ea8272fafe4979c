/**
 * A command a person can give, registered once and shared by its button, its keyboard shortcut and
 * (later) the widget API, as excalidraw registers its actions (STYLE.md habit 11).
 */
import type { PhoneState, PhoneStore } from '../../store/index';

/** The screens of the app shell, for commands that move between them. */
export type Screen = 'phone' | 'history' | 'contacts' | 'settings' | 'account';

/** What the app shell offers commands besides the store. */
export interface CommandUi {
  /** Shows a screen; absent outside the app shell (widget API, tests). */
  readonly navigate?: (screen: Screen) => void;
}

/** The key chord a person presses, without the layout-dependent details. */
export interface KeyChord {
  readonly key: string;
  readonly code?: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

export interface Command {
  /** Stable id, e.g. `call.answer`, `app.showHistory`. */
  readonly id: string;
  /** i18n key (`namespace:key`) of the command's name, used for buttons and the shortcuts list. */
  readonly label: string;
  /** The shortcut as shown to people, e.g. `Alt+Shift+A`; absent when the command has none. */
  readonly shortcut?: string;
  /** Whether the command can run in this state (a disabled button, an ignored shortcut). */
  enabled(state: PhoneState): boolean;
  /** Does it; must not throw for a state `enabled()` accepted. */
  perform(store: PhoneStore, ui: CommandUi): void | Promise<void>;
  /** Whether a key press is this command's shortcut. */
  keyTest?(event: KeyChord): boolean;
}

/**
 * A chord made with Alt and Shift (plus the letter), the pattern Ringlet uses for its shortcuts: it
 * does not collide with typing, browser menus or screen-reader keys. Matches `event.code` so that
 * Alt on macOS (which changes `key`) still works.
 */
export function altShift(letter: string): (event: KeyChord) => boolean {
  const upper = letter.toUpperCase();
  return (event) =>
    event.altKey &&
    event.shiftKey &&
    !event.ctrlKey &&
    !event.metaKey &&
    (event.code === `Key${upper}` || event.key.toUpperCase() === upper);
}
