/**
 * Listens for the registered commands' keyboard shortcuts on the whole window while the app is
 * mounted. A matching, enabled command runs and the key press goes no further.
 */
import { useEffect, useRef } from 'react';
import { usePhoneStore } from '../phone-context';
import { commandForKey, type Command, type CommandUi } from './index';

export function useCommandShortcuts(list: readonly Command[], ui: CommandUi): void {
  const store = usePhoneStore();
  // The latest `ui` without re-subscribing on every render.
  const uiRef = useRef(ui);
  useEffect(() => {
    uiRef.current = ui;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.repeat) return;
      const command = commandForKey(list, event, store.getState());
      if (!command) return;
      event.preventDefault();
      void Promise.resolve(command.perform(store, uiRef.current)).catch((error: unknown) => {
        // A command whose state changed under it (call ended meanwhile) is not the person's fault.
        console.warn(`command ${command.id} failed`, error);
      });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [list, store]);
}
