/**
 * How the call screens name the other party. Names come from the network (P-Asserted-Identity or
 * From); the store has already made them plain text, and the screens render them as text nodes only.
 */
import type { TFunction } from 'i18next';
import type { Party } from '../../../store/index';

/** The main line: the display name, else the number, else "Unknown caller". */
export function partyTitle(party: Party, t: TFunction<'calls'>): string {
  return party.name || party.number || t('unknownParty');
}

/** The second line: the number when the title is the name; null when it would repeat the title. */
export function partySubtitle(party: Party): string | null {
  return party.name && party.number && party.number !== party.name ? party.number : null;
}
