/**
 * Helpers for e2e/dev-exchange.spec.ts: the real app (index.html, `?user=` dev profile) in its own
 * browser context, observed only from the outside.
 *
 * Media is read from the browser's own RTCPeerConnection objects. An init script replaces the
 * global constructor with a transparent Proxy before any app script runs, so every connection
 * the page creates is also remembered in a list the test reads through `page.evaluate`. The app's
 * code, its store and its SIP core are never reached into.
 */
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { silenceViteHmr } from './ui-helpers';

declare global {
  interface Window {
    /** Every RTCPeerConnection the page constructed, in order (test-side observation only). */
    __ringletE2ePeerConnections?: RTCPeerConnection[];
    /** Every navigator.registerProtocolHandler call the page made, with what the browser said. */
    __ringletE2eProtocolHandlers?: ProtocolHandlerCall[];
  }
}

/** One `registerProtocolHandler(scheme, url)` call and the browser's own verdict on it. */
export interface ProtocolHandlerCall {
  readonly scheme: string;
  readonly url: string;
  /** `name: message` of what Chromium's implementation threw, or null when it accepted the call. */
  readonly error: string | null;
}

/**
 * Runs in the page before its own scripts: every registerProtocolHandler call goes on to Chromium's
 * real implementation (which validates the scheme, the `%s` and the origin, and throws on a bad
 * one); the wrapper only remembers the arguments and whether it threw.
 */
function recordProtocolHandlers(): void {
  const proto = Navigator.prototype as Navigator & {
    registerProtocolHandler?: (scheme: string, url: string) => void;
  };
  const native = proto.registerProtocolHandler;
  if (typeof native !== 'function' || window.__ringletE2eProtocolHandlers) return;
  const calls: ProtocolHandlerCall[] = [];
  Object.defineProperty(window, '__ringletE2eProtocolHandlers', { value: calls });
  proto.registerProtocolHandler = function (this: Navigator, scheme: string, url: string): void {
    try {
      native.call(this, scheme, url);
      calls.push({ scheme, url, error: null });
    } catch (error) {
      const e = error as { name?: string; message?: string };
      calls.push({ scheme, url, error: `${e.name ?? 'Error'}: ${e.message ?? String(error)}` });
      throw error;
    }
  };
}

/** Runs in the page before its own scripts: remember each RTCPeerConnection it constructs. */
function recordPeerConnections(): void {
  const native = window.RTCPeerConnection;
  if (typeof native !== 'function' || window.__ringletE2ePeerConnections) return;
  const created: RTCPeerConnection[] = [];
  Object.defineProperty(window, '__ringletE2ePeerConnections', { value: created });
  // A Proxy keeps `prototype`, statics (generateCertificate) and `instanceof` exactly as they were.
  window.RTCPeerConnection = new Proxy(native, {
    construct(target, args: unknown[], newTarget: NewableFunction) {
      const connection = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      created.push(connection);
      return connection;
    },
  });
}

/** Sum of inbound-rtp audio `packetsReceived` over every connection the page created. */
function inboundAudioPackets(): Promise<number> {
  const connections = window.__ringletE2ePeerConnections ?? [];
  return Promise.all(
    connections.map(async (connection) => {
      if (connection.connectionState === 'closed') return 0;
      let packets = 0;
      (await connection.getStats()).forEach(
        (report: { type?: string; kind?: string; packetsReceived?: number }) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio')
            packets += report.packetsReceived ?? 0;
        },
      );
      return packets;
    }),
  ).then((counts) => counts.reduce((sum, count) => sum + count, 0));
}

export interface AppPage {
  readonly user: string;
  readonly page: Page;
  readonly context: BrowserContext;
  /** The status bar ("Registration" region). */
  readonly statusBar: Locator;
  /** The phone screen's call area ("Calls" region): dialpad, incoming call, in call, notices. */
  readonly callArea: Locator;
  readonly dialInput: Locator;
  readonly callButton: Locator;
  readonly incomingCall: Locator;
  readonly answerButton: Locator;
  readonly hangupButton: Locator;
  /** The call-ended notices above the call area. */
  readonly endedNotices: Locator;
  /** Uncaught exceptions, unhandled rejections, and unexpected reloads of the page. */
  readonly pageErrors: string[];
  /** Browser console errors (for diagnostics only). */
  readonly consoleErrors: string[];
  /** Number of RTCPeerConnections the page has constructed so far. */
  peerConnectionCount(): Promise<number>;
  /** Inbound audio packets received so far, over all of the page's peer connections. */
  inboundAudioPackets(): Promise<number>;
  /** Types `target` into the dial field and presses Call, as a person would. */
  dial(target: string): Promise<void>;
  /** The page's registerProtocolHandler calls so far (see recordProtocolHandlers). */
  protocolHandlerCalls(): Promise<ProtocolHandlerCall[]>;
}

/**
 * Opens `/?user=<user>` (plus `extraQuery`, e.g. `&call=…`) in a fresh browser context (its own
 * IndexedDB, so its own profile).
 */
export async function openApp(
  browser: Browser,
  baseURL: string,
  user: string,
  extraQuery = '',
): Promise<AppPage> {
  const context = await browser.newContext();
  await silenceViteHmr(context, baseURL);
  await context.addInitScript(recordPeerConnections);
  await context.addInitScript(recordProtocolHandlers);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`${user}: ${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(new URL(`/?user=${encodeURIComponent(user)}${extraQuery}`, baseURL).href);
  // A reload would silently start a new phone and lose the call: make it a visible error.
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame())
      pageErrors.push(`${user}: the page navigated or reloaded (${frame.url()})`);
  });

  const callArea = page.getByRole('region', { name: 'Calls', exact: true });
  const incomingCall = callArea.getByRole('region', { name: /^(Incoming call|Incoming video call)$/ });
  const app: AppPage = {
    user,
    page,
    context,
    statusBar: page.getByRole('region', { name: 'Registration', exact: true }),
    callArea,
    dialInput: callArea.getByRole('textbox', { name: 'Number or SIP address', exact: true }),
    callButton: callArea.getByRole('button', { name: 'Call', exact: true }),
    incomingCall,
    answerButton: incomingCall.getByRole('button', { name: 'Answer', exact: true }),
    hangupButton: callArea.getByRole('button', { name: 'Hang up', exact: true }),
    endedNotices: callArea.getByRole('listitem').filter({ hasText: /\bended\b/ }),
    pageErrors,
    consoleErrors,
    peerConnectionCount: () => page.evaluate(() => window.__ringletE2ePeerConnections?.length ?? -1),
    inboundAudioPackets: () => page.evaluate(inboundAudioPackets),
    dial: async (target) => {
      await app.dialInput.fill(target);
      await app.callButton.click();
    },
    protocolHandlerCalls: () => page.evaluate(() => [...(window.__ringletE2eProtocolHandlers ?? [])]),
  };
  return app;
}
