/**
 * Contacts slice: add, edit, delete, search, call. The add/edit form is a draft in the state, so
 * nothing typed is lost when the person looks elsewhere; saving validates it. Persisted; entries read
 * back are validated one by one.
 */
import { InvalidStateError } from '../../../sip/index';
import type { SliceContext } from '../../phone-state';
import { normaliseDialTarget } from '../../support/dial-target';
import { isRecord, plainText, readString } from '../../support/guards';
import type { StoreLogger } from '../../support/log';
import { NO_ERRORS, hasErrors, type FieldErrors, type SaveResult } from '../../support/validation';
import type { DialResult } from '../calls/slice';

export interface Contact {
  readonly id: string;
  readonly name: string;
  /** A phone number, SIP user or SIP address, as the dialler accepts it. */
  readonly number: string;
}

export interface ContactForm {
  readonly name: string;
  readonly number: string;
}

export interface ContactDraft {
  /** The contact being edited, or null when adding. */
  readonly contactId: string | null;
  readonly values: ContactForm;
  /** Filled by a save attempt, then kept up to date while the person types. */
  readonly errors: FieldErrors;
}

export interface ContactsData {
  readonly items: readonly Contact[];
  readonly query: string;
  readonly draft: ContactDraft | null;
}

export interface ContactsSlice extends ContactsData {
  setQuery(query: string): void;
  /** Opens the form to add a contact, optionally prefilled (e.g. from a history entry). */
  startAdd(prefill?: Partial<ContactForm>): void;
  /** @throws InvalidStateError for an unknown contact. */
  startEdit(contactId: string): void;
  /** @throws InvalidStateError when no form is open. */
  editDraft(patch: Partial<ContactForm>): void;
  /** Validates and saves the form; on errors the draft stays as typed. @throws InvalidStateError without a form. */
  saveDraft(): SaveResult;
  cancelDraft(): void;
  remove(contactId: string): void;
  call(contactId: string, options?: { video?: boolean }): DialResult;
}

export const MAX_CONTACT_NAME = 100;
export const MAX_CONTACTS = 5000;

/** Field-level messages for the contact form; pure. */
export function validateContact(form: ContactForm): FieldErrors {
  const errors: Record<string, { code: string; message: string }> = {};
  const name = form.name.trim();
  if (name === '') errors['name'] = { code: 'contact-name-required', message: 'Enter a name' };
  else if (name.length > MAX_CONTACT_NAME) {
    errors['name'] = {
      code: 'contact-name-too-long',
      message: `Name must be ${MAX_CONTACT_NAME} characters or fewer`,
    };
  }
  const number = normaliseDialTarget(form.number);
  if (!number.ok) {
    errors['number'] =
      number.reason === 'empty'
        ? { code: 'contact-number-required', message: 'Enter a phone number or SIP address' }
        : {
            code: 'contact-number-invalid',
            message: 'Use digits, +, * and #, or a SIP address like sip:bob@example.com',
          };
  }
  return hasErrors(errors) ? errors : NO_ERRORS;
}

/** One stored contact, validated; `undefined` when it is not one. */
export function readContact(value: unknown): Contact | undefined {
  if (!isRecord(value)) return undefined;
  const id = readString(value, 'id', 200);
  const name = readString(value, 'name', 1000);
  const number = readString(value, 'number', 1000);
  if (!id || name === undefined || number === undefined) return undefined;
  const form = { name: plainText(name, MAX_CONTACT_NAME), number: number.trim() };
  if (hasErrors(validateContact(form))) return undefined;
  return { id, ...form };
}

/** A stored contacts record: valid contacts kept, each invalid one dropped with a log line. */
export function readContactsRecord(value: unknown, log: StoreLogger): Contact[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Contact[] = [];
  value.forEach((raw, index) => {
    const contact = readContact(raw);
    if (!contact || out.some((c) => c.id === contact.id)) {
      log.warn('load() | dropped a corrupt contact', { index });
      return;
    }
    out.push(contact);
  });
  return out.slice(0, MAX_CONTACTS);
}

export function createContactsSlice(ctx: SliceContext): ContactsSlice {
  const draftOrThrow = (method: string): ContactDraft => {
    const draft = ctx.get().contacts.draft;
    if (!draft) throw new InvalidStateError(`contacts.${method}(): no contact form is open`);
    return draft;
  };
  return {
    items: [],
    query: '',
    draft: null,

    setQuery(query) {
      ctx.update('contacts', { query: query.slice(0, 200) });
    },

    startAdd(prefill = {}) {
      ctx.update('contacts', {
        draft: {
          contactId: null,
          values: { name: prefill.name ?? '', number: prefill.number ?? '' },
          errors: NO_ERRORS,
        },
      });
    },

    startEdit(contactId) {
      const contact = ctx.get().contacts.items.find((c) => c.id === contactId);
      if (!contact)
        throw new InvalidStateError(`contacts.startEdit(): no contact ${JSON.stringify(contactId)}`);
      ctx.update('contacts', {
        draft: { contactId, values: { name: contact.name, number: contact.number }, errors: NO_ERRORS },
      });
    },

    editDraft(patch) {
      const draft = draftOrThrow('editDraft');
      const values = { ...draft.values, ...patch };
      // Once a save showed errors, keep them current as the person fixes the fields.
      const errors = hasErrors(draft.errors) ? validateContact(values) : NO_ERRORS;
      ctx.update('contacts', { draft: { ...draft, values, errors } });
    },

    saveDraft() {
      const draft = draftOrThrow('saveDraft');
      const errors = validateContact(draft.values);
      if (hasErrors(errors)) {
        ctx.update('contacts', { draft: { ...draft, errors } });
        return { ok: false, errors };
      }
      const values = { name: draft.values.name.trim(), number: draft.values.number.trim() };
      ctx.update('contacts', (c) => {
        const exists = draft.contactId !== null && c.items.some((x) => x.id === draft.contactId);
        const items = exists
          ? c.items.map((x) => (x.id === draft.contactId ? { ...x, ...values } : x))
          : [...c.items, { id: ctx.ids(), ...values }];
        return { items, draft: null };
      });
      return { ok: true };
    },

    cancelDraft() {
      ctx.update('contacts', { draft: null });
    },

    remove(contactId) {
      ctx.update('contacts', (c) => ({
        items: c.items.filter((x) => x.id !== contactId),
        draft: c.draft?.contactId === contactId ? null : c.draft,
      }));
    },

    call(contactId, options) {
      const contact = ctx.get().contacts.items.find((c) => c.id === contactId);
      if (!contact) return { ok: false, reason: 'invalid-target' };
      return ctx.get().calls.dial(contact.number, options);
    },
  };
}
