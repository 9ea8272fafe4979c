/**
 * `createPhoneStore(deps)`: the phone's state on `zustand/vanilla`, usable from React (through
 * `useStore`), the widget, the iframe bridge and Node tests alike. Everything outside the store is
 * injected: the user-agent factory, the WebSocket constructor, the call engine, storage, clock, ids,
 * media devices and the log sink.
 *
 * Actions live on their slice: `store.getState().calls.answer(id)`. State is plain data keyed by
 * ids; the UA and the call engine (sessions, peer connections, streams) live in {@link LiveObjects}.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  createLogger,
  type LogSink,
  type UserAgent,
  type UserAgentOptions,
  type WebSocketConstructor,
} from '../sip/index';
import { LiveObjects } from './live-objects';
import { hydrate, startPersisting } from './persistence/persist';
import { createMemoryStorage, type PersistenceStorage } from './persistence/storage';
import type { Clock, PhoneState, SliceContext, Timers } from './phone-state';
import type { CallEngine, CallStreams, SelectedDevices } from './ports/call-engine';
import type { MediaDevicesPort } from './ports/media-devices';
import { createCoreUserAgent, type UserAgentFactory, type UserAgentLike } from './ports/user-agent';
import { createAccountSlice } from './slices/account/slice';
import type { AccountForm } from './slices/account/validate-account';
import { createCallsSlice } from './slices/calls/slice';
import { createContactsSlice } from './slices/contacts/slice';
import { createDevicesSlice } from './slices/devices/slice';
import { createHistorySlice } from './slices/history/slice';
import { createRegistrationSlice } from './slices/registration/slice';
import { createSettingsSlice } from './slices/settings/slice';
import { createStoreLogger, errorText } from './support/log';

/** What a call engine is built with, for one connected account. */
export interface CallEngineContext<UA extends UserAgentLike> {
  /** The account's user agent, as the UA factory made it. */
  readonly ua: UA;
  readonly iceServers: RTCIceServer[];
  /** The devices chosen in settings when the account connected. */
  readonly devices: SelectedDevices;
  readonly log: LogSink | undefined;
}

export type UserAgentTuning = Partial<
  Pick<UserAgentOptions, 'registerExpires' | 'userAgent' | 'connectTimeoutMs'>
>;

export interface PhoneStoreDeps<UA extends UserAgentLike = UserAgent> {
  /** Builds a UA from options; default `new UserAgent(options)` from the SIP core. */
  readonly createUserAgent?: UserAgentFactory<UA>;
  /** Default `globalThis.WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** Builds the call engine of a connected account; without one, dialling reports `not-connected`. */
  readonly createCallEngine?: (context: CallEngineContext<UA>) => CallEngine;
  /** Default: in memory (nothing survives a reload). The app passes `createIndexedDbStorage()`. */
  readonly storage?: PersistenceStorage;
  /** Default `Date.now`. */
  readonly clock?: Clock;
  /** Default the global `setTimeout` / `clearTimeout`. */
  readonly timers?: Timers;
  /** Bound on `account.testConnection()`; default 15 000 ms. */
  readonly connectionTestTimeoutMs?: number;
  /** Default `crypto.randomUUID()`. */
  readonly ids?: () => string;
  /** Default: none (device lists stay `unavailable`). The app passes `browserMediaDevices()`. */
  readonly mediaDevices?: MediaDevicesPort;
  /** Receives the store's log lines and the UA's (credentials masked). */
  readonly log?: LogSink;
  readonly userAgentOptions?: UserAgentTuning;
}

export interface PhoneStore extends StoreApi<PhoneState> {
  /** Resolves once persisted data has loaded (or failed to); never rejects. */
  readonly ready: Promise<void>;
  /** Resolves once every pending write has reached storage. */
  flush(): Promise<void>;
  /** The local and remote streams of a call, for media elements; never in state. */
  streams(callId: string): CallStreams | undefined;
  /** Disconnects the account, stops listening to devices, writes what is pending. */
  destroy(): Promise<void>;
}

function toRtcIceServers(account: AccountForm): RTCIceServer[] {
  return account.iceServers.map((ice) => ({
    urls: ice.urls,
    ...(ice.username ? { username: ice.username } : {}),
    ...(ice.credential ? { credential: ice.credential } : {}),
  }));
}

export function createPhoneStore<UA extends UserAgentLike = UserAgent>(
  deps: PhoneStoreDeps<UA> = {},
): PhoneStore {
  // The default factory makes the core's UserAgent, which is what UA defaults to.
  const createUserAgent = deps.createUserAgent ?? (createCoreUserAgent as unknown as UserAgentFactory<UA>);
  const storage = deps.storage ?? createMemoryStorage();
  const log = createStoreLogger(deps.log);
  const live = new LiveObjects();
  const WebSocketClass = deps.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);

  let context: SliceContext | undefined;
  const store = createStore<PhoneState>()((set, get) => {
    const ctx: SliceContext = {
      get,
      update: (key, patch) =>
        set((state) => {
          const slice = state[key];
          const partial = typeof patch === 'function' ? patch(slice) : patch;
          return { [key]: { ...slice, ...partial } } as Partial<PhoneState>;
        }),
      live,
      clock: deps.clock ?? { now: () => Date.now() },
      timers: deps.timers ?? {
        setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
        clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
      },
      connectionTestTimeoutMs: deps.connectionTestTimeoutMs ?? 15_000,
      ids: deps.ids ?? (() => crypto.randomUUID()),
      log,
      mediaDevices: deps.mediaDevices,
      open(account, instanceId, withCalls) {
        const ua = createUserAgent({
          ...deps.userAgentOptions,
          servers: [...account.servers],
          uri: account.uri,
          ...(account.authorizationUser ? { authorizationUser: account.authorizationUser } : {}),
          ...(account.password ? { password: account.password } : {}),
          ...(account.displayName ? { displayName: account.displayName } : {}),
          ...(WebSocketClass ? { WebSocket: WebSocketClass } : {}),
          ...(deps.log ? { logger: createLogger(deps.log) } : {}),
          instanceId,
        });
        const { microphoneId, speakerId, cameraId } = get().settings.values;
        const engine =
          withCalls && deps.createCallEngine
            ? deps.createCallEngine({
                ua,
                iceServers: toRtcIceServers(account),
                devices: { microphoneId, speakerId, cameraId },
                log: deps.log,
              })
            : null;
        return { ua, engine };
      },
    };
    context = ctx;
    return {
      account: createAccountSlice(ctx),
      registration: createRegistrationSlice(ctx),
      calls: createCallsSlice(ctx),
      history: createHistorySlice(ctx),
      contacts: createContactsSlice(ctx),
      settings: createSettingsSlice(ctx),
      devices: createDevicesSlice(ctx),
      persistence: { status: 'loading' },
    };
  });
  const ctx = context as unknown as SliceContext;

  const persister = startPersisting(store, storage, log.child('persistence'));
  const ready = hydrate(ctx, storage, log.child('persistence')).catch((error: unknown) => {
    log.error('hydrate() | failed', { error: errorText(error) });
    ctx.update('persistence', { status: 'unavailable' });
  });

  // Device choices come from settings, so the first listing waits for them to load.
  let offDeviceChange: (() => void) | undefined;
  if (deps.mediaDevices) {
    const port = deps.mediaDevices;
    void ready.then(() => {
      offDeviceChange = port.onDeviceChange(() => void store.getState().devices.refresh());
      return store.getState().devices.refresh();
    });
  }

  return Object.assign(store, {
    ready,
    flush: () => persister.flush(),
    streams: (callId: string) => live.streams(callId),
    async destroy() {
      offDeviceChange?.();
      await store.getState().account.disconnect();
      await persister.flush();
      persister.stop();
    },
  });
}
