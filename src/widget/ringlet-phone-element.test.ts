// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callSelectors, type PhoneStore } from '../store/index';
import { createTestPhone, type TestPhone } from '../store/testing/test-phone';
import { createRingletPhoneElement, type RingletPhoneApi } from './ringlet-phone-element';

type PhoneElement = HTMLElement & RingletPhoneApi;

let phones: TestPhone[] = [];
let counter = 0;

/** Defines the element under a fresh name, each instance on its own test phone. */
function define(): string {
  const name = `test-ringlet-phone-${++counter}`;
  customElements.define(
    name,
    createRingletPhoneElement({
      createStore: (): PhoneStore => {
        const phone = createTestPhone();
        phones.push(phone);
        return phone.store;
      },
      adoptStyles: () => undefined,
    }),
  );
  return name;
}

/** Lets microtasks and the store's promise chains run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function mount(attributes: Record<string, string>, setup?: (el: PhoneElement) => void): PhoneElement {
  const el = document.createElement(define()) as PhoneElement;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  setup?.(el);
  document.body.append(el);
  return el;
}

const VALID = { server: 'wss://pbx.example.com/ws', uri: 'sip:alice@example.com' };

afterEach(async () => {
  document.body.replaceChildren();
  await settle();
  phones = [];
});

describe('<ringlet-phone> configuration', () => {
  it('shows what is wrong with a bad configuration inside the widget, as text, without throwing', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    const el = mount({ server: 'http://nope', uri: '<img src=x onerror=alert(1)>' });
    el.config = 'not an object';
    await settle();
    window.removeEventListener('error', onError);
    const alert = el.shadowRoot?.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('config: expected an object');
    expect(alert?.textContent).toContain('server: Enter a ws:// or wss:// URL');
    expect(alert?.querySelector('img')).toBeNull();
    expect(el.problems.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(phones).toHaveLength(0);
  });

  it('registers with the attributes and says so with a composed, bubbling event', async () => {
    const seen: Event[] = [];
    document.addEventListener('ringlet-registered', (event) => seen.push(event));
    const el = mount(VALID);
    await settle();
    expect(el.status).toBe('registered');
    expect(el.problems).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ bubbles: true, composed: true, detail: { uri: VALID.uri } });
    expect(phones[0]?.store.getState().account.saved?.servers).toEqual([VALID.server]);
  });

  it('takes the config property, also when set before the element was defined', async () => {
    const el = mount({ uri: VALID.uri }, (e) => {
      // Simulates a page script running before the widget's module: an own data property.
      Object.defineProperty(e, 'config', {
        value: { server: VALID.server, password: 's3cret' },
        configurable: true,
        writable: true,
      });
    });
    await settle();
    expect(el.status).toBe('registered');
    expect(phones[0]?.store.getState().account.saved?.password).toBe('s3cret');
  });

  it('a new valid config replaces the account; an invalid one disconnects and shows the problem', async () => {
    const el = mount(VALID);
    await settle();
    el.setAttribute('uri', 'sip:bob@example.com');
    await settle();
    expect(phones[0]?.store.getState().account.saved?.uri).toBe('sip:bob@example.com');
    el.setAttribute('mode', 'button');
    await settle();
    expect(el.shadowRoot?.querySelector('[role="alert"]')?.textContent).toContain('target:');
    expect(el.status).toBe('offline');
  });
});

describe('<ringlet-phone> API and events', () => {
  it('call(), answer() and hangup() drive the phone; events carry the call and the end cause', async () => {
    const seen: Array<{ type: string; detail: Record<string, unknown> }> = [];
    for (const type of ['ringlet-incoming', 'ringlet-call-started', 'ringlet-call-ended']) {
      document.addEventListener(type, (event) => seen.push({ type, detail: (event as CustomEvent).detail }));
    }
    const el = mount(VALID);
    await settle();
    const phone = phones[0];
    if (!phone) throw new Error('no phone');
    const engine = phone.engines.at(-1);
    if (!engine) throw new Error('no engine');

    const result = el.call('sip:bob@example.com');
    expect(result).toMatchObject({ ok: true });
    expect(await el.hangup()).toBe(true);
    const id = engine.incoming({ name: 'Carol', number: '300' });
    expect(await el.answer()).toBe(true);
    expect(callSelectors.call(phone.store.getState(), id)?.state).toBe('connected');
    engine.remoteHangup(id);

    expect(seen.map((s) => s.type)).toEqual([
      'ringlet-call-ended',
      'ringlet-incoming',
      'ringlet-call-started',
      'ringlet-call-ended',
    ]);
    expect(seen[0]?.detail).toMatchObject({ direction: 'outgoing', originator: 'local', answered: false });
    expect(seen[3]?.detail).toMatchObject({ callId: id, cause: 'bye', originator: 'remote' });
  });

  it('the API answers "not connected" before a valid config, without throwing', async () => {
    const el = mount({});
    await settle();
    expect(el.call('bob')).toEqual({ ok: false, reason: 'not-connected' });
    expect(await el.answer()).toBe(false);
    expect(await el.hangup()).toBe(false);
  });

  it('button mode renders one call button for the target', async () => {
    const el = mount({ ...VALID, mode: 'button', target: 'sip:sales@example.com' });
    await settle();
    const buttons = el.shadowRoot?.querySelectorAll('button') ?? [];
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.textContent).toBe('Call sales@example.com');
  });

  it('intercept-links turns sip: link clicks in the page into calls', async () => {
    const el = mount({ ...VALID, 'intercept-links': '' });
    const link = document.createElement('a');
    link.href = 'sip:bob@example.com';
    document.body.append(link);
    await settle();
    const call = vi.spyOn(el, 'call');
    link.click();
    expect(call).toHaveBeenCalledWith('sip:bob@example.com');
  });

  it('removing the element tears the phone down; moving it does not', async () => {
    const el = mount(VALID);
    await settle();
    const store = phones[0]?.store;
    const destroy = vi.spyOn(store as PhoneStore, 'destroy');
    const other = document.createElement('div');
    document.body.append(other);
    other.append(el);
    await settle();
    expect(destroy).not.toHaveBeenCalled();
    el.remove();
    await settle();
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(el.status).toBe('offline');
  });
});
