/**
 * The widget's entry (`npm run build:widget` → one ES module): defines `<ringlet-phone>` with the
 * real phone (SIP core + WebRTC, the browser's devices, nothing persisted) and exports the helpers a
 * page may want. Loading it twice is harmless: the element is defined once.
 *
 * ```html
 * <script type="module" src="ringlet-phone.js"></script>
 * <ringlet-phone server="wss://pbx.example.com/ws" uri="sip:alice@example.com"></ringlet-phone>
 * ```
 */
import {
  browserMediaDevices,
  createPhoneCallEngine,
  createPhoneStore,
  createPhoneUserAgentFactory,
} from '../store/index';
import { interceptCallLinks } from './call-links';
import { ELEMENT_NAME, createRingletPhoneElement, type RingletPhoneApi } from './ringlet-phone-element';
import { adoptWidgetStyles } from './shadow-styles';

export type { RingletPhoneApi } from './ringlet-phone-element';
export type { PhoneEvent, PhoneEventName, CallDetail, CallEndedDetail } from './phone-api';
export type { WidgetConfig, WidgetMode } from './widget-config';
export { callTargetFromLink, registerCallLinkHandlers } from './call-links';

export const RingletPhoneElement = createRingletPhoneElement({
  createStore: () =>
    createPhoneStore({
      mediaDevices: browserMediaDevices(),
      createUserAgent: createPhoneUserAgentFactory(),
      createCallEngine: createPhoneCallEngine,
    }),
  adoptStyles: adoptWidgetStyles,
  log: (line) => console.warn(line),
});

if (typeof customElements !== 'undefined' && !customElements.get(ELEMENT_NAME)) {
  customElements.define(ELEMENT_NAME, RingletPhoneElement);
}

/**
 * Turns clicks on `sip:` / `tel:` links under `root` (default: the whole document) into calls on
 * `phone` (default: the first `<ringlet-phone>` of the document when the link is clicked). Returns
 * the function that stops. The attribute `intercept-links` does the same for the whole document.
 */
export function interceptLinks(
  root: Document | Element | ShadowRoot = document,
  phone?: RingletPhoneApi,
): () => void {
  return interceptCallLinks(root, (target) => {
    const element = phone ?? (document.querySelector(ELEMENT_NAME) as (HTMLElement & RingletPhoneApi) | null);
    element?.call(target);
  });
}

/** For pages that load the widget with a plain script tag and no `import`. */
declare global {
  interface Window {
    ringletPhone?: { interceptLinks: typeof interceptLinks };
  }
}
if (typeof window !== 'undefined') window.ringletPhone = { interceptLinks };
