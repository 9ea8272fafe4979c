import type { PhoneState } from '../../phone-state';
import { normaliseDialTarget } from '../../support/dial-target';
import { memoizeLast } from '../../support/memo';
import type { Contact } from './slice';

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

const filtered = memoizeLast((items: readonly Contact[], query: string): Contact[] => {
  const q = query.trim().toLocaleLowerCase();
  const digits = q.replace(/[\s().-]/g, '');
  return items
    .filter(
      (c) =>
        q === '' ||
        c.name.toLocaleLowerCase().includes(q) ||
        c.number.toLocaleLowerCase().includes(q) ||
        (digits !== '' && c.number.replace(/[\s().-]/g, '').includes(digits)),
    )
    .sort((a, b) => collator.compare(a.name, b.name));
});

/** The dialled form of a number, so `+33 1 23` and `+33123` match. */
function key(number: string): string {
  const parsed = normaliseDialTarget(number);
  return (parsed.ok ? parsed.target : number).toLowerCase();
}

/** Named selectors for the contacts screen; the filtered list keeps its identity while inputs do. */
export const contactSelectors = {
  all: (s: PhoneState) => s.contacts.items,
  /** Contacts matching the search query (name or number), sorted by name. */
  filtered: (s: PhoneState) => filtered(s.contacts.items, s.contacts.query),
  query: (s: PhoneState) => s.contacts.query,
  draft: (s: PhoneState) => s.contacts.draft,
  byId: (s: PhoneState, id: string) => s.contacts.items.find((c) => c.id === id),
  /** The contact whose number is `number` (as dialled), for showing names on calls and in history. */
  byNumber: (s: PhoneState, number: string): Contact | undefined => {
    const wanted = key(number);
    return s.contacts.items.find((c) => key(c.number) === wanted);
  },
};
