/** A command's shortcut shown inside its button (hidden from assistive technology, which reads `aria-keyshortcuts`). */
import type { Command } from '../../commands/command';
import './ShortcutHint.css';

export function ShortcutHint({ command }: { readonly command: Command }) {
  if (!command.shortcut) return null;
  return (
    <kbd className="shortcut-hint" aria-hidden="true">
      {command.shortcut}
    </kbd>
  );
}
