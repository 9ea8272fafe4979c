/**
 * `sip:` / `tel:` links for a page that hosts the whole app (index.html, embed.html): offers the
 * app as the browser's handler for them and places the call a `?call=` address asks for once the
 * account is registered. Kept apart from call-links.ts, which is pure.
 */
import type { PhoneStore } from '../store/index';
import { readCallParam, registerCallLinkHandlers, type ProtocolHandlerHost } from './call-links';
import { callWhenRegistered } from './phone-api';

export interface AppCallLinksOptions {
  readonly store: PhoneStore;
  /** `location.search` of the page. */
  readonly search: string;
  /** `navigator`, to register the handlers; omit (e.g. inside an iframe) to skip registering. */
  readonly navigator?: ProtocolHandlerHost;
  /** The handler URL, same origin, with `%s`; default `/?call=%s`. */
  readonly handlerUrl?: string;
  readonly log?: (line: string) => void;
}

/** Returns the function that cancels a pending `?call=`. */
export function startAppCallLinks(options: AppCallLinksOptions): () => void {
  const log = options.log ?? ((line: string) => console.warn(line));
  if (options.navigator) registerCallLinkHandlers(options.navigator, options.handlerUrl ?? '/?call=%s', log);
  const param = readCallParam(options.search);
  if (param.kind === 'invalid') {
    log(`ringlet: ignored ?call=${JSON.stringify(param.value)}: not a number or SIP address`);
    return () => undefined;
  }
  if (param.kind === 'none') return () => undefined;
  return callWhenRegistered(options.store, param.target, {
    onResult: (result) => {
      if (!result.ok) log(`ringlet: could not call ${param.target} (${result.reason})`);
    },
  });
}
