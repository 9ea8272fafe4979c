/**
 * Account setup: the form is the store's draft (`account.draft`), so nothing typed is lost when the
 * person looks at another screen. Save validates with the store's rules and moves focus to the first
 * field to fix; "Test connection" says in plain words what failed; Connect / Disconnect drive the
 * real registration.
 */
import { useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  accountSelectors,
  registrationSelectors,
  type AccountForm,
  type ConnectionTestResult,
  type FieldError as StoreFieldError,
  type SaveResult,
} from '../../../store/index';
import { usePhone, usePhoneStore } from '../../phone-context';
import { CheckField, Field, FieldError } from '../../theme/Field';
import { CheckIcon, PlusIcon, TrashIcon } from '../../theme/icons';
import './AccountSetup.css';

function errorText(t: TFunction, error: StoreFieldError | null | undefined): string | null {
  return error ? t(`account:errors.${error.code}`, { defaultValue: error.message }) : null;
}

function testText(t: TFunction, result: ConnectionTestResult): { summary: string; detail: string | null } {
  switch (result.outcome) {
    case 'ok':
      return { summary: t('account:test.ok'), detail: null };
    case 'invalid':
      return { summary: t('account:test.invalid'), detail: null };
    case 'server-refused':
      return {
        summary:
          result.status === null
            ? t('account:test.server-refused')
            : t('account:test.serverRefusedWithStatus', {
                status: `${result.status} ${result.reason}`.trim(),
              }),
        detail: null,
      };
    case 'cannot-connect':
    case 'wrong-password':
      return {
        summary: t(`account:test.${result.outcome}`),
        detail: result.reason ? t('account:test.detail', { reason: result.reason }) : null,
      };
  }
}

type SaveFeedback = { kind: 'saved' } | { kind: 'errors'; count: number } | null;

export function AccountSetup() {
  const { t } = useTranslation('account');
  const store = usePhoneStore();
  const draft = usePhone(accountSelectors.draft);
  const errors = usePhone(accountSelectors.errors);
  const dirty = usePhone(accountSelectors.isDirty);
  const configured = usePhone(accountSelectors.isConfigured);
  const needsPassword = usePhone(accountSelectors.needsPassword);
  const test = usePhone(accountSelectors.test);
  const active = usePhone(accountSelectors.isConnected);
  const status = usePhone(registrationSelectors.status);
  const formRef = useRef<HTMLFormElement>(null);
  const [feedback, setFeedback] = useState<SaveFeedback>(null);

  const account = () => store.getState().account;
  const err = (path: string) => errorText(t, errors[path]);

  /** Saves; on errors, says how many and puts focus on the first field to fix. */
  const save = (): boolean => {
    let result = { ok: true } as SaveResult;
    flushSync(() => {
      result = account().save();
    });
    if (result.ok) {
      setFeedback({ kind: 'saved' });
      return true;
    }
    setFeedback({ kind: 'errors', count: Object.keys(result.errors).length });
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    return false;
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save();
  };

  const connect = () => {
    if ((dirty || !configured) && !save()) return;
    void account().connect();
  };

  const edit = (patch: Partial<AccountForm>) => {
    setFeedback(null);
    account().editDraft(patch);
  };

  const testing = test.status === 'testing';
  const testResult = test.status === 'done' ? testText(t, test.result) : null;
  const testOk = test.status === 'done' && test.result.outcome === 'ok';

  return (
    <section className="account-setup" aria-labelledby="screen-title">
      <h2 id="screen-title" className="screen-title" tabIndex={-1}>
        {t('title')}
      </h2>
      <p className="account-setup__intro">{t('intro')}</p>
      {needsPassword && status !== 'registered' && status !== 'connecting' && (
        <p className="notice notice--warning">{t('needsPassword')}</p>
      )}

      <form ref={formRef} className="account-setup__form" noValidate onSubmit={onSubmit}>
        <fieldset aria-describedby="servers-hint">
          <legend>{t('servers.legend')}</legend>
          <p id="servers-hint" className="field__hint account-setup__legend-hint">
            {t('servers.hint')}
          </p>
          {draft.servers.map((server, i) => (
            <div className="account-setup__row" key={i}>
              <Field
                id={`account-server-${i}`}
                className="account-setup__grow"
                label={t('servers.label', { n: i + 1 })}
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                placeholder="wss://sip.example.com:8089/ws"
                value={server}
                onValue={(value) => {
                  setFeedback(null);
                  account().editServer(i, value);
                }}
                error={err(`servers.${i}`) ?? (i === 0 ? err('servers') : null)}
              />
              <button
                type="button"
                className="button button--quiet account-setup__remove"
                aria-label={t('servers.remove', { n: i + 1 })}
                title={t('servers.remove', { n: i + 1 })}
                disabled={draft.servers.length === 1}
                onClick={() => account().removeServer(i)}
              >
                <TrashIcon />
              </button>
            </div>
          ))}
          <button type="button" className="button button--small" onClick={() => account().addServer()}>
            <PlusIcon size={16} />
            {t('servers.add')}
          </button>
        </fieldset>

        <Field
          id="account-uri"
          label={t('uri.label')}
          hint={t('uri.hint')}
          type="text"
          inputMode="email"
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          value={draft.uri}
          onValue={(uri) => edit({ uri })}
          error={err('uri')}
        />
        <Field
          id="account-authorization-user"
          label={t('authorizationUser.label')}
          hint={t('authorizationUser.hint')}
          type="text"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          value={draft.authorizationUser}
          onValue={(authorizationUser) => edit({ authorizationUser })}
          error={err('authorizationUser')}
        />
        <Field
          id="account-password"
          label={t('password.label')}
          type="password"
          autoComplete="current-password"
          value={draft.password}
          onValue={(password) => edit({ password })}
          error={err('password')}
        />
        <CheckField
          id="account-remember"
          label={t('remember.label')}
          hint={draft.rememberPassword ? t('remember.on') : t('remember.off')}
          checked={draft.rememberPassword}
          onChecked={(rememberPassword) => edit({ rememberPassword })}
        />
        <Field
          id="account-display-name"
          label={t('displayName.label')}
          hint={t('displayName.hint')}
          type="text"
          autoComplete="name"
          value={draft.displayName}
          onValue={(displayName) => edit({ displayName })}
          error={err('displayName')}
        />

        <fieldset aria-describedby="ice-hint">
          <legend>{t('ice.legend')}</legend>
          <p id="ice-hint" className="field__hint account-setup__legend-hint">
            {t('ice.hint')}
          </p>
          {draft.iceServers.map((ice, i) => {
            const iceError = err(`iceServers.${i}`);
            return (
              <fieldset className="account-setup__ice" key={i}>
                <legend>{t('ice.server', { n: i + 1 })}</legend>
                <Field
                  id={`account-ice-${i}-urls`}
                  label={t('ice.urls')}
                  hint={t('ice.urlsHint')}
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="stun:stun.example.com:3478"
                  value={ice.urls}
                  onValue={(urls) => account().editIceServer(i, { urls })}
                  error={iceError}
                />
                <div className="account-setup__pair">
                  <Field
                    id={`account-ice-${i}-username`}
                    label={t('ice.username')}
                    type="text"
                    autoComplete="off"
                    value={ice.username}
                    onValue={(username) => account().editIceServer(i, { username })}
                  />
                  <Field
                    id={`account-ice-${i}-credential`}
                    label={t('ice.credential')}
                    type="password"
                    autoComplete="off"
                    value={ice.credential}
                    onValue={(credential) => account().editIceServer(i, { credential })}
                  />
                </div>
                <button
                  type="button"
                  className="button button--small button--quiet"
                  onClick={() => account().removeIceServer(i)}
                >
                  <TrashIcon size={16} />
                  {t('ice.remove', { n: i + 1 })}
                </button>
              </fieldset>
            );
          })}
          {draft.iceServers.length === 0 && <p className="account-setup__none">{t('ice.none')}</p>}
          <button type="button" className="button button--small" onClick={() => account().addIceServer()}>
            <PlusIcon size={16} />
            {t('ice.add')}
          </button>
        </fieldset>

        <div className="account-setup__actions">
          <button type="submit" className="button button--primary">
            {t('save')}
          </button>
          <button
            type="button"
            className="button"
            disabled={testing}
            onClick={() => void account().testConnection()}
          >
            {testing ? t('test.testing') : t('test.button')}
          </button>
          {active ? (
            <button type="button" className="button" onClick={() => void account().disconnect()}>
              {t('disconnect')}
            </button>
          ) : (
            <button type="button" className="button" onClick={connect}>
              {dirty || !configured ? t('saveAndConnect') : t('connect')}
            </button>
          )}
          {dirty && configured && (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setFeedback(null);
                account().revertDraft();
              }}
            >
              {t('revert')}
            </button>
          )}
        </div>

        <div className="account-setup__feedback" role="status" aria-live="polite">
          {feedback?.kind === 'saved' && (
            <p className="notice notice--success">
              <CheckIcon size={18} />
              <span>{t('saved')}</span>
            </p>
          )}
          {feedback?.kind === 'errors' && (
            <FieldError>{t('fixErrors', { count: feedback.count })}</FieldError>
          )}
          {!feedback && dirty && configured && <p className="field__hint">{t('unsaved')}</p>}
        </div>
        <div className="account-setup__feedback" role="status" aria-live="polite">
          {testing && <p className="notice">{t('test.testing')}</p>}
          {testResult && (
            <div className={`notice ${testOk ? 'notice--success' : 'notice--danger'}`}>
              <div>
                <p>
                  <strong>{testResult.summary}</strong>
                </p>
                {testResult.detail && <p className="account-setup__detail">{testResult.detail}</p>}
              </div>
            </div>
          )}
        </div>
      </form>
    </section>
  );
}
