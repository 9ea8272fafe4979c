/**
 * `sip:` and `tel:` links (RFC 3261 §19.1, RFC 3966): the app as the browser's handler for them,
 * `?call=` on load, and a page's link clicks turned into calls.
 *
 * HTML §8.9.1.3 `registerProtocolHandler(scheme, url)`: the scheme must be a `web+` scheme or on the
 * safelist, which includes `sip` and `tel`; the URL must be same-origin and contain `%s`, which the
 * browser replaces with the percent-encoded link. Browsers without the API (Safari, most mobiles)
 * or that refuse it (insecure context, iframe) leave the links to the system.
 */
import { normaliseDialTarget } from '../store/index';

/** Longest link the app takes from an address bar or a page. */
export const MAX_CALL_LINK_LENGTH = 256;

export const CALL_LINK_SELECTOR = 'a[href^="sip:" i], a[href^="sips:" i], a[href^="tel:" i]';

/**
 * The dial target a `sip:`, `sips:` or `tel:` link means, or null for anything else. `tel:`
 * parameters (`;phone-context=…`, `;ext=…`) are dropped, visual separators removed. Pure.
 */
export function callTargetFromLink(href: string): string | null {
  if (href.length > MAX_CALL_LINK_LENGTH) return null;
  const text = href.trim();
  const scheme = /^(sips?|tel):/i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) return null;
  let target = text;
  if (scheme === 'tel') {
    let number = text.slice(4).split(';')[0] ?? '';
    try {
      number = decodeURIComponent(number);
    } catch {
      return null;
    }
    // RFC 3966 §3: a telephone-subscriber is digits and visual separators, never a user name.
    if (!/^[+\d*#\s().\-/]+$/.test(number)) return null;
    target = number;
  } else {
    // sip:bob@example.com?subject=… ; headers in a link are not ours to send.
    target = text.split('?')[0] ?? '';
  }
  const normalised = normaliseDialTarget(target);
  return normalised.ok ? normalised.target : null;
}

export type CallParam =
  | { readonly kind: 'none' }
  | { readonly kind: 'valid'; readonly target: string }
  | { readonly kind: 'invalid'; readonly value: string };

/**
 * Reads `?call=` (what the protocol handler receives, already decoded by URLSearchParams): a `sip:`
 * / `tel:` link, or a plain number or address. Pure.
 */
export function readCallParam(search: string): CallParam {
  const value = new URLSearchParams(search).get('call');
  if (value === null || value.trim() === '') return { kind: 'none' };
  const bounded = value.slice(0, 64);
  if (value.length > MAX_CALL_LINK_LENGTH) return { kind: 'invalid', value: bounded };
  const target = /^(sips?|tel):/i.test(value.trim())
    ? callTargetFromLink(value)
    : (() => {
        const n = normaliseDialTarget(value);
        return n.ok ? n.target : null;
      })();
  return target === null ? { kind: 'invalid', value: bounded } : { kind: 'valid', target };
}

/** The part of `navigator` that registers protocol handlers. */
export interface ProtocolHandlerHost {
  registerProtocolHandler?(scheme: string, url: string): void;
}

/**
 * Asks the browser to open `sip:` and `tel:` links with this app at `handlerUrl` (same origin, with
 * `%s`). Returns the schemes the browser accepted the request for (it may still ask the person).
 * Never throws.
 */
export function registerCallLinkHandlers(
  nav: ProtocolHandlerHost | undefined,
  handlerUrl = '/?call=%s',
  log: (line: string) => void = () => undefined,
): string[] {
  if (!nav || typeof nav.registerProtocolHandler !== 'function') return [];
  const accepted: string[] = [];
  for (const scheme of ['sip', 'tel']) {
    try {
      nav.registerProtocolHandler(scheme, handlerUrl);
      accepted.push(scheme);
    } catch (error) {
      // SecurityError / SyntaxError: the browser keeps that scheme for the system.
      log(`ringlet: the browser refused to register the ${scheme}: handler (${String(error)})`);
    }
  }
  return accepted;
}

/**
 * Turns clicks on `sip:` / `tel:` links under `root` (shadow roots included, through the event's
 * composed path) into `onCall(target)`. Clicks with a modifier key or another button, and clicks
 * the page already handled, are left to the browser. Returns the function that stops.
 */
export function interceptCallLinks(
  root: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  onCall: (target: string, link: Element) => void,
): () => void {
  const onClick = (event: Event): void => {
    const mouse = event as MouseEvent;
    if (mouse.defaultPrevented || mouse.button !== 0) return;
    if (mouse.ctrlKey || mouse.metaKey || mouse.shiftKey || mouse.altKey) return;
    const path = typeof event.composedPath === 'function' ? event.composedPath() : [event.target];
    for (const node of path) {
      const element = node as Partial<Element> | null;
      if (!element || typeof element.matches !== 'function') continue;
      if (!element.matches('a[href]')) continue;
      const target = callTargetFromLink(element.getAttribute?.('href') ?? '');
      if (target === null) return;
      event.preventDefault();
      onCall(target, element as Element);
      return;
    }
  };
  root.addEventListener('click', onClick);
  return () => root.removeEventListener('click', onClick);
}
