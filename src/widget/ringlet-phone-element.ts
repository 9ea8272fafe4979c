/**
 * `<ringlet-phone>`: the softphone as a custom element (HTML §4.13 "Custom elements"), rendered in
 * an open shadow root so the page's styles and the widget's never meet.
 *
 * Configured by attributes (`server`, `uri`, `user`, `display-name`, `mode`, `target`, `theme`,
 * `intercept-links`, `auto-connect`) and by the `config` property (an object with the same options in
 * camelCase plus `password`; it wins over the attributes). A bad configuration is shown inside the
 * widget; setting one never throws.
 *
 * API: `call(target)`, `answer()`, `hangup()`, `status`; events `ringlet-registered`,
 * `ringlet-incoming`, `ringlet-call-started`, `ringlet-call-ended` (`detail.cause`), which bubble
 * and cross shadow roots (`composed`).
 *
 * The class is made by {@link createRingletPhoneElement} so tests can give it a fake phone; index.ts
 * defines the real one.
 */
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { i18n as I18n } from 'i18next';
import { registrationSelectors, type PhoneStore } from '../store/index';
import { createI18n } from '../ui/i18n/i18n';
import { interceptCallLinks } from './call-links';
import {
  answerCall,
  applyAccount,
  hangupCall,
  placeCall,
  watchPhoneEvents,
  type CallResult,
} from './phone-api';
import { THEME_WRAPPER_CLASS } from './shadow-css';
import { WidgetPhone } from './WidgetPhone';
import {
  CONFIG_ATTRIBUTES,
  parseWidgetConfig,
  readConfigAttributes,
  type WidgetConfig,
} from './widget-config';

export const ELEMENT_NAME = 'ringlet-phone';

export interface RingletPhoneDeps {
  /** A new phone store for one element (the real one: SIP core + WebRTC, in-memory storage). */
  createStore(): PhoneStore;
  /** Puts the widget's styles into its shadow root. */
  adoptStyles(root: ShadowRoot): void;
  /** Where problems the page cannot see otherwise are reported. */
  log?(line: string): void;
}

/** The public API of the element, for TypeScript users of the widget. */
export interface RingletPhoneApi {
  config: unknown;
  /** Registration status: `offline`, `connecting`, `registered`, `reconnecting` or `failed`. */
  readonly status: string;
  /** The problems of the current configuration (empty when it is valid). */
  readonly problems: readonly string[];
  call(target: string): CallResult;
  answer(): Promise<boolean>;
  hangup(): Promise<boolean>;
}

/** Same account, nothing to redo. */
function sameAccount(a: WidgetConfig | null, b: WidgetConfig): boolean {
  return (
    a !== null && JSON.stringify(a.account) === JSON.stringify(b.account) && a.autoConnect === b.autoConnect
  );
}

export function createRingletPhoneElement(deps: RingletPhoneDeps): CustomElementConstructor & {
  new (): HTMLElement & RingletPhoneApi;
} {
  return class RingletPhoneElement extends HTMLElement implements RingletPhoneApi {
    static readonly observedAttributes: readonly string[] = CONFIG_ATTRIBUTES;

    readonly #shadow: ShadowRoot;
    readonly #mount: HTMLDivElement;
    #configProperty: unknown = undefined;
    #store: PhoneStore | null = null;
    #i18n: I18n | null = null;
    #root: Root | null = null;
    #applied: WidgetConfig | null = null;
    #problems: readonly string[] = [];
    #unwatch: (() => void) | null = null;
    #stopLinks: (() => void) | null = null;
    #scheduled = false;

    constructor() {
      super();
      this.#shadow = this.attachShadow({ mode: 'open' });
      deps.adoptStyles(this.#shadow);
      this.#mount = this.ownerDocument.createElement('div');
      this.#mount.className = 'ringlet-mount';
      this.#shadow.append(this.#mount);
    }

    get config(): unknown {
      return this.#configProperty;
    }

    set config(value: unknown) {
      this.#configProperty = value;
      this.#schedule();
    }

    get status(): string {
      return this.#store ? registrationSelectors.status(this.#store.getState()) : 'offline';
    }

    get problems(): readonly string[] {
      return this.#problems;
    }

    connectedCallback(): void {
      // `el.config = …` set before the widget's script defined the element is an own property that
      // would hide the accessor: take it over (the usual custom-element upgrade step).
      if (Object.prototype.hasOwnProperty.call(this, 'config')) {
        const value = (this as { config?: unknown }).config;
        delete (this as { config?: unknown }).config;
        this.config = value;
      }
      this.#schedule();
    }

    disconnectedCallback(): void {
      // Moving the element is a disconnect and a connect in one task: only tear down if it stays out.
      queueMicrotask(() => {
        if (!this.isConnected) this.#teardown();
      });
    }

    attributeChangedCallback(): void {
      this.#schedule();
    }

    call(target: string): CallResult {
      if (!this.#store) return { ok: false, reason: 'not-connected' };
      return placeCall(this.#store, target);
    }

    answer(): Promise<boolean> {
      return this.#store ? answerCall(this.#store) : Promise.resolve(false);
    }

    hangup(): Promise<boolean> {
      return this.#store ? hangupCall(this.#store) : Promise.resolve(false);
    }

    /** Attribute and property changes of one task are applied together, once. */
    #schedule(): void {
      if (this.#scheduled) return;
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        try {
          this.#update();
        } catch (error) {
          // Nothing a page sets may escape as an uncaught exception.
          this.#showProblems([`internal error: ${String(error)}`]);
          deps.log?.(`ringlet-phone: ${String(error)}`);
        }
      });
    }

    #update(): void {
      if (!this.isConnected) return;
      const parsed = parseWidgetConfig(
        readConfigAttributes((name) => this.getAttribute(name)),
        this.#configProperty,
      );
      if (!parsed.ok) {
        this.#showProblems(parsed.problems);
        // A phone left registered with an account the page no longer wants would take its calls.
        if (this.#store && this.#applied) void this.#store.getState().account.disconnect();
        this.#applied = null;
        return;
      }
      const config = parsed.config;
      const store = this.#ensureStore();
      if (!sameAccount(this.#applied, config)) {
        const problems = applyAccount(store, config);
        if (problems.length > 0) {
          this.#showProblems(problems);
          this.#applied = null;
          return;
        }
      }
      this.#applied = config;
      this.#problems = [];
      this.#setLinkInterception(config.interceptLinks);
      this.#render(config);
    }

    #ensureStore(): PhoneStore {
      if (this.#store) return this.#store;
      const store = deps.createStore();
      this.#store = store;
      this.#i18n = createI18n(store.getState().settings.values.language);
      this.#unwatch = watchPhoneEvents(store, (event) => {
        this.dispatchEvent(
          new CustomEvent(`ringlet-${event.name}`, { detail: event.detail, bubbles: true, composed: true }),
        );
      });
      return store;
    }

    #render(config: WidgetConfig): void {
      if (!this.#store || !this.#i18n) return;
      if (!this.#root) {
        this.#mount.replaceChildren();
        this.#root = createRoot(this.#mount);
      }
      this.#root.render(
        createElement(WidgetPhone, {
          store: this.#store,
          i18n: this.#i18n,
          mode: config.mode,
          theme: config.theme,
          target: config.target,
        }),
      );
    }

    /** The problems as text nodes (never HTML: they quote what the page set). */
    #showProblems(problems: readonly string[]): void {
      this.#problems = problems;
      this.#root?.unmount();
      this.#root = null;
      const doc = this.ownerDocument;
      const wrapper = doc.createElement('div');
      wrapper.className = THEME_WRAPPER_CLASS;
      wrapper.setAttribute('data-theme', 'system');
      const box = doc.createElement('div');
      box.className = 'ringlet ringlet-problems';
      box.setAttribute('role', 'alert');
      const title = doc.createElement('strong');
      title.textContent = 'This phone is not set up correctly:';
      const list = doc.createElement('ul');
      for (const problem of problems) {
        const item = doc.createElement('li');
        item.textContent = problem;
        list.append(item);
      }
      box.append(title, list);
      wrapper.append(box);
      this.#mount.replaceChildren(wrapper);
      deps.log?.(`ringlet-phone: ${problems.join('; ')}`);
    }

    #setLinkInterception(on: boolean): void {
      if (on && !this.#stopLinks) {
        this.#stopLinks = interceptCallLinks(this.ownerDocument, (target) => void this.call(target));
      } else if (!on && this.#stopLinks) {
        this.#stopLinks();
        this.#stopLinks = null;
      }
    }

    #teardown(): void {
      this.#setLinkInterception(false);
      this.#unwatch?.();
      this.#unwatch = null;
      this.#root?.unmount();
      this.#root = null;
      const store = this.#store;
      this.#store = null;
      this.#i18n = null;
      this.#applied = null;
      // Unregisters and ends calls; never rejects.
      void store?.destroy();
    }
  };
}
