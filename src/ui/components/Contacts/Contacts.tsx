/**
 * Contacts: search, add, edit, delete (after a confirmation), call. The add/edit form is the
 * store's `contacts.draft`, so a half-typed contact survives a look at another screen.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  contactSelectors,
  type Contact,
  type DialResult,
  type FieldError,
  type SaveResult,
} from '../../../store/index';
import type { Screen } from '../../commands/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { Field } from '../../theme/Field';
import { PencilIcon, PhoneIcon, PlusIcon, TrashIcon, VideoIcon } from '../../theme/icons';
import './Contacts.css';

export interface ContactsProps {
  onNavigate?(screen: Screen): void;
}

type DialFailure = Exclude<DialResult, { ok: true }>['reason'];

function errorText(t: TFunction, error: FieldError | undefined): string | null {
  return error ? t(`contacts:errors.${error.code}`, { defaultValue: error.message }) : null;
}

function ContactForm() {
  const { t } = useTranslation('contacts');
  const store = usePhoneStore();
  const draft = usePhone(contactSelectors.draft);
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const open = draft !== null;
  const editing = draft?.contactId ?? null;

  // Opening the form (to add, or to edit another contact) puts the cursor in its first field.
  useEffect(() => {
    if (open) nameRef.current?.focus();
  }, [open, editing]);

  if (!draft) return null;
  const contacts = () => store.getState().contacts;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    let result = { ok: true } as SaveResult;
    flushSync(() => {
      result = contacts().saveDraft();
    });
    if (!result.ok) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  };
  const title = draft.contactId === null ? t('newContact') : t('editContact');
  return (
    <form ref={formRef} className="contacts__form card" noValidate onSubmit={onSubmit} aria-label={title}>
      <h3 className="section-title">{title}</h3>
      <div className="contacts__form-fields">
        <Field
          id="contact-name"
          inputRef={nameRef}
          label={t('name')}
          type="text"
          autoComplete="off"
          value={draft.values.name}
          onValue={(name) => contacts().editDraft({ name })}
          error={errorText(t, draft.errors['name'])}
        />
        <Field
          id="contact-number"
          label={t('number')}
          hint={t('numberHint')}
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          value={draft.values.number}
          onValue={(number) => contacts().editDraft({ number })}
          error={errorText(t, draft.errors['number'])}
        />
      </div>
      <div className="contacts__form-actions">
        <button type="submit" className="button button--primary">
          {t('save')}
        </button>
        <button type="button" className="button" onClick={() => contacts().cancelDraft()}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function ContactItem({
  contact,
  confirming,
  onConfirm,
  onCall,
}: {
  contact: Contact;
  confirming: boolean;
  onConfirm(contactId: string | null): void;
  onCall(contact: Contact, video: boolean): void;
}) {
  const { t } = useTranslation('contacts');
  const store = usePhoneStore();
  const name = contact.name;
  if (confirming) {
    return (
      <li className="list-panel__row contacts__item contacts__item--confirm">
        <div className="contacts__confirm" role="group" aria-label={t('removeLabel', { name })}>
          <p>{t('confirmRemove', { name })}</p>
          <div className="contacts__actions">
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => {
                store.getState().contacts.remove(contact.id);
                onConfirm(null);
              }}
            >
              {t('confirmRemoveButton')}
            </button>
            <button type="button" className="button button--small" autoFocus onClick={() => onConfirm(null)}>
              {t('keep')}
            </button>
          </div>
        </div>
      </li>
    );
  }
  return (
    <li className="list-panel__row contacts__item">
      <span className="contacts__avatar" aria-hidden="true">
        {Array.from(name.trim())[0]?.toLocaleUpperCase() ?? '?'}
      </span>
      <div className="contacts__body">
        <p className="contacts__name">{name}</p>
        <p className="contacts__number">{contact.number}</p>
      </div>
      <div className="contacts__actions">
        <button
          type="button"
          className="button button--small button--primary"
          aria-label={t('callLabel', { name })}
          onClick={() => onCall(contact, false)}
        >
          <PhoneIcon size={16} />
          <span className="contacts__action-text">{t('call')}</span>
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label={t('videoCallLabel', { name })}
          title={t('videoCall')}
          onClick={() => onCall(contact, true)}
        >
          <VideoIcon size={16} />
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label={t('editLabel', { name })}
          title={t('edit')}
          onClick={() => store.getState().contacts.startEdit(contact.id)}
        >
          <PencilIcon size={16} />
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          aria-label={t('removeLabel', { name })}
          title={t('remove')}
          onClick={() => onConfirm(contact.id)}
        >
          <TrashIcon size={16} />
        </button>
      </div>
    </li>
  );
}

export function Contacts({ onNavigate }: ContactsProps) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation('common');
  const store = usePhoneStore();
  const all = usePhone(contactSelectors.all);
  const shown = usePhone(contactSelectors.filtered);
  const query = usePhone(contactSelectors.query);
  const formOpen = usePhone((s) => s.contacts.draft !== null);
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const [dialError, setDialError] = useState<DialFailure | null>(null);

  const call = (contact: Contact, video: boolean) => {
    const result = store.getState().contacts.call(contact.id, { video });
    if (result.ok) {
      setDialError(null);
      onNavigate?.('phone');
    } else setDialError(result.reason);
  };

  return (
    <section className="contacts" aria-labelledby="screen-title">
      <div className="contacts__header">
        <h2 id="screen-title" className="screen-title" tabIndex={-1}>
          {t('title')}
        </h2>
        {!formOpen && (
          <button
            type="button"
            className="button button--small"
            onClick={() => store.getState().contacts.startAdd()}
          >
            <PlusIcon size={16} />
            {t('add')}
          </button>
        )}
      </div>
      <ContactForm />
      {all.length > 0 && (
        <div className="contacts__search">
          <Field
            id="contacts-search"
            label={t('search')}
            hint={t('searchHint')}
            type="search"
            autoComplete="off"
            value={query}
            onValue={(value) => store.getState().contacts.setQuery(value)}
          />
        </div>
      )}
      <div role="alert">
        {dialError && <p className="notice notice--danger">{tc(`dial.${dialError}`)}</p>}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {all.length > 0 && query.trim() !== '' ? t('count', { count: shown.length }) : ''}
      </p>
      {all.length === 0 ? (
        <p className="empty-state">{t('empty')}</p>
      ) : shown.length === 0 ? (
        <p className="empty-state">{t('noMatch', { query: query.trim() })}</p>
      ) : (
        <ul className="list-panel" aria-label={t('title')}>
          {shown.map((contact) => (
            <ContactItem
              key={contact.id}
              contact={contact}
              confirming={confirmId === contact.id}
              onConfirm={setConfirmId}
              onCall={call}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
