import { describe, expect, it } from 'vitest';
import {
  createFakeGetUserMedia,
  createFakePeerConnectionFactory,
  fakeCapabilities,
  type FakeDevices,
  type FakePeerConnection,
} from '../../media/fake-peer-connection';
import type { Call, PhoneMediaConfig } from '../../phone/index';
import { run, settled, useFakeMediaTimers } from '../../phone/testing/media-timers';
import { getTo } from '../../sip/message/headers';
import { parseMessage } from '../../sip/parser/parse-message';
import { createRandom } from '../../sip/support/random';
import { FakeClock, sequentialBytes } from '../../sip/testing/fake-clock';
import { ScriptedRegistrar } from '../../sip/testing/scripted-registrar';
import { isRequest, messages, wire } from '../../sip/testing/session-harness';
import { LoopbackNetwork, type LoopbackRouter } from '../../sip/transport/loopback-transport';
import { InvalidStateError, type UserAgentOptions } from '../../sip/index';
import { createPhoneStore, type PhoneStore } from '../create-phone-store';
import { callSelectors } from '../slices/calls/selectors';
import type { CallEntry } from '../slices/calls/slice';
import type { AccountForm } from '../slices/account/validate-account';
import type { CallSnapshot } from '../ports/call-engine';
import type { PhoneCallEngine } from './phone-call-engine';
import { callEndOf, callStateOf, createPhoneCallEngine, partyOf } from './phone-call-engine';
import {
  createPhoneUserAgentFactory,
  withDevices,
  withIceServers,
  type PhoneUserAgent,
} from './phone-user-agent';

// The fake peer connection gathers candidates on global timers; the SIP core and the stores run on
// FakeClock. Both move together in `run()`, one millisecond at a time (as src/phone's tests do).
useFakeMediaTimers();

const PASSWORDS: Record<string, string> = { alice: 'alice-secret', bob: 'bob-secret' };

/**
 * A registrar and any number of user agents on one loopback network: REGISTER goes to the
 * registrar, its responses back to the user's newest endpoint, everything else to the other user.
 */
function world() {
  const clock = new FakeClock();
  const newest = new Map<string, string>();
  const userOf = (endpoint: string) => endpoint.replace(/-\d+$/, '');
  const router: LoopbackRouter = ({ from, text }) => {
    if (from === 'registrar') {
      const parsed = parseMessage(text);
      const to = parsed.ok ? getTo(parsed.value) : undefined;
      const user = to?.ok && 'host' in to.value.uri ? to.value.uri.user : undefined;
      return user === undefined ? undefined : newest.get(user);
    }
    if (text.startsWith('REGISTER ')) return 'registrar';
    return newest.get(userOf(from) === 'alice' ? 'bob' : 'alice');
  };
  const network = new LoopbackNetwork({ clock, router });
  const registrarEndpoint = network.endpoint('registrar');
  void registrarEndpoint.connect();
  const registrar = new ScriptedRegistrar(registrarEndpoint, { users: PASSWORDS });
  let endpoints = 0;
  const endpointFor = (user: string) => {
    const name = `${user}-${++endpoints}`;
    newest.set(user, name);
    return network.endpoint(name, { viaHost: `${name}.invalid` });
  };
  return { clock, network, registrar, endpointFor };
}

type World = ReturnType<typeof world>;

interface StorePartyOptions {
  readonly user: string;
  readonly displayName?: string;
  readonly seed: number;
  readonly media?: PhoneMediaConfig;
  readonly iceServers?: AccountForm['iceServers'];
  readonly devices?: FakeDevices;
}

/** One person: a phone store wired with the phone user agent factory and the phone call engine. */
function storeParty(w: World, options: StorePartyOptions) {
  const pcs = createFakePeerConnectionFactory();
  const getUserMedia = createFakeGetUserMedia(options.devices);
  const userAgents: PhoneUserAgent[] = [];
  const factory = createPhoneUserAgentFactory({
    mediaDependencies: { createPeerConnection: pcs.create, getUserMedia, getCapabilities: fakeCapabilities },
    transport: (ua: UserAgentOptions) => w.endpointFor(ua.uri.replace(/^sip:([^@]+)@.*$/, '$1')),
    clock: w.clock,
    random: createRandom(sequentialBytes(options.seed)),
    ...(options.media ? { media: options.media } : {}),
  });
  const engines: PhoneCallEngine[] = [];
  /** Every snapshot the engines reported, `incoming` and `callUpdated` alike. */
  const snapshots: CallSnapshot[] = [];
  let ids = 0;
  const store: PhoneStore = createPhoneStore<PhoneUserAgent>({
    createUserAgent: (ua) => {
      const made = factory(ua);
      userAgents.push(made);
      return made;
    },
    createCallEngine: (context) => {
      const engine = createPhoneCallEngine(context);
      engine.on('incoming', (snapshot) => snapshots.push(snapshot));
      engine.on('callUpdated', (snapshot) => snapshots.push(snapshot));
      engines.push(engine);
      return engine;
    },
    clock: w.clock,
    timers: w.clock,
    ids: () => `${options.user}-id-${++ids}`,
  });
  const form: AccountForm = {
    servers: ['wss://pbx.ringlet.test/ws'],
    uri: `sip:${options.user}@ringlet.test`,
    authorizationUser: '',
    password: PASSWORDS[options.user] ?? '',
    rememberPassword: false,
    displayName: options.displayName ?? '',
    iceServers: options.iceServers ?? [],
  };
  return {
    store,
    pcs: pcs.instances as FakePeerConnection[],
    getUserMedia,
    userAgents,
    engines,
    snapshots,
    form,
    calls: () => store.getState().calls,
    call: (id: string): CallEntry => {
      const entry = store.getState().calls.byId[id];
      if (!entry) throw new Error(`no call ${id}`);
      return entry;
    },
    /** The phone's own call, to watch what the other side received. */
    phoneCall: (id: string): Call => {
      const call = userAgents.at(-1)?.phone.getCall(id);
      if (!call) throw new Error(`no phone call ${id}`);
      return call;
    },
    history: () => store.getState().history.entries,
  };
}

type StoreParty = ReturnType<typeof storeParty>;

async function connect(w: World, party: StoreParty): Promise<void> {
  await party.store.ready;
  party.store.getState().account.editDraft(party.form);
  const saved = party.store.getState().account.save();
  if (!saved.ok) throw new Error(`invalid test account: ${JSON.stringify(saved.errors)}`);
  const status = await settled(w.clock, party.store.getState().account.connect());
  expect(status.state).toBe('registered');
}

async function twoStores(
  options: { alice?: Partial<StorePartyOptions>; bob?: Partial<StorePartyOptions> } = {},
) {
  const w = world();
  const alice = storeParty(w, { user: 'alice', displayName: 'Alice', seed: 1, ...options.alice });
  const bob = storeParty(w, { user: 'bob', seed: 2, ...options.bob });
  await connect(w, alice);
  await connect(w, bob);
  return { ...w, alice, bob };
}

function dial(party: StoreParty, target: string): string {
  const result = party.store.getState().calls.dial(target);
  if (!result.ok) throw new Error(`dial failed: ${result.reason}`);
  return result.callId;
}

/** A dials bob through its store; B's store rings and answers. */
async function connectedCall(options: Parameters<typeof twoStores>[0] = {}) {
  const ctx = await twoStores(options);
  const outId = dial(ctx.alice, 'bob');
  await run(ctx.clock);
  const inId = ctx.bob.calls().order[0]!;
  await settled(ctx.clock, ctx.bob.store.getState().calls.answer(inId));
  expect(ctx.alice.call(outId).state).toBe('connected');
  expect(ctx.bob.call(inId).state).toBe('connected');
  return { ...ctx, outId, inId };
}

describe('two phone stores calling each other over the loopback network (RFC 3261 §13)', () => {
  it('dials, rings on both sides, is answered and shows connected in both stores', async () => {
    const { clock, network, alice, bob } = await twoStores();
    const outId = dial(alice, 'bob');
    expect(alice.call(outId)).toMatchObject({
      direction: 'outgoing',
      state: 'calling',
      remote: { name: '', number: 'bob' },
    });
    expect(alice.calls().activeCallId).toBe(outId);
    await run(clock);

    const [inId] = bob.calls().order;
    expect(bob.call(inId!)).toMatchObject({
      direction: 'incoming',
      state: 'ringing',
      remote: { name: 'Alice', number: 'alice' },
      video: false,
    });
    expect(alice.call(outId).state).toBe('ringing');
    expect(callSelectors.liveCalls(bob.store.getState())).toHaveLength(1);

    await settled(clock, bob.store.getState().calls.answer(inId!));
    expect(alice.call(outId)).toMatchObject({ state: 'connected', muted: false, onHold: false });
    expect(bob.call(inId!)).toMatchObject({ state: 'connected', muted: false, onHold: false });
    expect(alice.call(outId).answeredAt).not.toBeNull();
    const calls = wire(network).filter((line) => !line.includes('registrar'));
    expect(calls).toEqual([
      'alice-1>bob-2 INVITE',
      'bob-2>alice-1 180 INVITE',
      'bob-2>alice-1 200 INVITE',
      'alice-1>bob-2 ACK',
    ]);
    // The streams stay out of state; the store hands them out by call id.
    expect(alice.store.streams(outId)?.remote).toBeTruthy();
    expect(bob.store.streams(inId!)?.remote).toBeTruthy();
    expect(JSON.stringify(alice.store.getState().calls)).not.toContain('MediaStream');
  });

  it('hold: the holder shows on-hold, the other side held-by-remote; resume brings both back (RFC 3264 §8.4)', async () => {
    const { clock, alice, bob, outId, inId } = await connectedCall();
    await settled(clock, alice.store.getState().calls.hold(outId));
    expect(alice.call(outId)).toMatchObject({ state: 'on-hold', onHold: true });
    expect(bob.call(inId)).toMatchObject({ state: 'held-by-remote', onHold: false });

    await settled(clock, alice.store.getState().calls.resume(outId));
    expect(alice.call(outId)).toMatchObject({ state: 'connected', onHold: false });
    expect(bob.call(inId)).toMatchObject({ state: 'connected', onHold: false });
  });

  it('stays on-hold for the side that holds even when the other side holds too', async () => {
    const { clock, alice, bob, outId, inId } = await connectedCall();
    await settled(clock, bob.store.getState().calls.hold(inId));
    expect(alice.call(outId).state).toBe('held-by-remote');
    await settled(clock, alice.store.getState().calls.hold(outId));
    expect(alice.call(outId).state).toBe('on-hold');
    expect(bob.call(inId).state).toBe('on-hold');
  });

  it('mute disables the microphone track and shows in the store, with no SIP message', async () => {
    const { clock, network, alice, outId } = await connectedCall();
    const frames = network.frames.length;
    alice.store.getState().calls.setMuted(outId, true);
    expect(alice.call(outId).muted).toBe(true);
    expect(alice.getUserMedia.tracks[0]?.enabled).toBe(false);
    await run(clock, 10);
    expect(network.frames.length).toBe(frames);
    alice.store.getState().calls.setMuted(outId, false);
    expect(alice.call(outId).muted).toBe(false);
    expect(alice.getUserMedia.tracks[0]?.enabled).toBe(true);
  });

  it('sends DTMF digits the other phone receives (INFO, RFC 6086)', async () => {
    const { clock, network, alice, bob, outId, inId } = await connectedCall({
      alice: { media: { dtmf: 'info' } },
    });
    const received: string[] = [];
    bob.phoneCall(inId).on('dtmf', (digit) => received.push(digit));
    alice.store.getState().calls.sendDtmf(outId, '1 2#');
    await run(clock, 1000);
    expect(received).toEqual(['1', '2', '#']);
    expect(messages(network, isRequest('INFO'))).toHaveLength(3);
    expect(bob.call(inId).state).toBe('connected');
  });

  it('shows the DTMF digits the other phone sent by INFO in the receiving call (RFC 6086)', async () => {
    const { clock, alice, bob, outId, inId } = await connectedCall({
      alice: { media: { dtmf: 'info' } },
    });
    expect(bob.call(inId).receivedDtmf).toBeUndefined();
    alice.store.getState().calls.sendDtmf(outId, '1#');
    await run(clock, 1000);
    expect(bob.call(inId)).toMatchObject({ state: 'connected', receivedDtmf: '1#' });
    // The sender shows what it sent on its keypad, not as received digits.
    expect(alice.call(outId).receivedDtmf).toBeUndefined();
  });

  it('sends DTMF as RFC 4733 events when telephone-event was negotiated', async () => {
    const { clock, network, alice, outId } = await connectedCall();
    const frames = network.frames.length;
    alice.store.getState().calls.sendDtmf(outId, '5');
    await run(clock, 10);
    const sender = alice.pcs[0]!.transceivers.find((t) => t.kind === 'audio')!.sender;
    expect(sender.dtmf?.sent.map((sent) => sent.tones)).toEqual(['5']);
    expect(network.frames.length).toBe(frames);
  });

  it('hang-up ends both calls and records them answered in both histories (§15.1)', async () => {
    const { clock, alice, bob, outId, inId } = await connectedCall();
    await settled(clock, alice.store.getState().calls.hangup(outId));
    expect(alice.call(outId)).toMatchObject({
      state: 'ended',
      end: { originator: 'local', cause: 'bye', reason: 'You hung up.' },
    });
    expect(bob.call(inId)).toMatchObject({
      state: 'ended',
      end: { originator: 'remote', cause: 'bye', reason: 'The other side hung up.' },
    });
    expect(alice.history()).toEqual([
      expect.objectContaining({
        callId: outId,
        direction: 'outgoing',
        result: 'answered',
        cause: 'bye',
        party: { name: '', number: 'bob' },
      }),
    ]);
    expect(bob.history()).toEqual([
      expect.objectContaining({
        callId: inId,
        direction: 'incoming',
        result: 'answered',
        cause: 'bye',
        party: { name: 'Alice', number: 'alice' },
      }),
    ]);
    expect(alice.store.streams(outId)).toBeUndefined();
  });

  it('reports every change as a snapshot and the end exactly once, with the end attached', async () => {
    const { clock, alice, outId } = await connectedCall();
    const seen = alice.snapshots.filter((snapshot) => snapshot.id === outId);
    expect(seen.map((snapshot) => snapshot.state)).toEqual(
      expect.arrayContaining(['calling', 'ringing', 'connected']),
    );
    await settled(clock, alice.store.getState().calls.hangup(outId));
    await run(clock, 50);
    const ended = alice.snapshots.filter((snapshot) => snapshot.id === outId && snapshot.state === 'ended');
    expect(ended).toEqual([
      expect.objectContaining({ end: { originator: 'local', cause: 'bye', reason: 'You hung up.' } }),
    ]);
    expect(alice.snapshots.at(-1)).toBe(ended[0]);
    // Plain data: a snapshot survives a structured clone (no session, stream or peer connection).
    expect(structuredClone(ended[0])).toEqual(ended[0]);
  });

  it('busy: the callee declines with 486 and the caller ends with cause busy (§21.4.24)', async () => {
    const { clock, alice, bob } = await twoStores();
    const outId = dial(alice, 'bob');
    await run(clock);
    const inId = bob.calls().order[0]!;
    await settled(clock, bob.store.getState().calls.decline(inId));
    expect(alice.call(outId)).toMatchObject({
      state: 'ended',
      end: { originator: 'remote', cause: 'busy', status: 486 },
    });
    expect(alice.call(outId).end?.reason).toBeTruthy();
    expect(alice.history()[0]).toMatchObject({ result: 'rejected', cause: 'busy' });
    expect(bob.history()[0]).toMatchObject({ result: 'rejected', direction: 'incoming' });
  });

  it('cancelling before the answer leaves a missed call on the callee side (§9.1)', async () => {
    const { clock, alice, bob } = await twoStores();
    const outId = dial(alice, 'bob');
    await run(clock);
    const inId = bob.calls().order[0]!;
    await settled(clock, alice.store.getState().calls.hangup(outId));
    expect(alice.call(outId).end).toMatchObject({ originator: 'local', cause: 'cancel' });
    expect(bob.call(inId).end).toMatchObject({ originator: 'remote', cause: 'cancel' });
    expect(alice.history()[0]).toMatchObject({ result: 'cancelled' });
    expect(bob.history()[0]).toMatchObject({ result: 'missed', seen: false });
  });

  it('a microphone that cannot be opened ends the call with cause media-error and says why', async () => {
    const { clock, alice } = await twoStores({ alice: { devices: { failWith: 'NotAllowedError' } } });
    const outId = dial(alice, 'bob');
    await run(clock);
    expect(alice.call(outId)).toMatchObject({
      state: 'ended',
      end: { cause: 'media-error' },
    });
    expect(alice.call(outId).end?.reason).toBeTruthy();
    expect(alice.history()[0]).toMatchObject({ result: 'failed', cause: 'media-error' });
  });

  it('keeps the caller name of an incoming call as plain text, markup included (RFC 3261 §20.20)', async () => {
    const { clock, alice, bob } = await twoStores({
      alice: { displayName: '<img src=x onerror=alert(1)> \u202Eevil' },
    });
    dial(alice, 'bob');
    await run(clock);
    const incoming = bob.snapshots.find((snapshot) => snapshot.direction === 'incoming');
    expect(incoming?.remote).toEqual({ name: '<img src=x onerror=alert(1)> evil', number: 'alice' });
    expect(bob.call(incoming!.id).remote).toEqual({
      name: '<img src=x onerror=alert(1)> evil',
      number: 'alice',
    });
  });
});

describe('the phone user agent as the store sees it', () => {
  it('tests the connection with a throwaway user agent that opens no media', async () => {
    const w = world();
    const alice = storeParty(w, { user: 'alice', displayName: 'Alice', seed: 1 });
    await alice.store.ready;
    alice.store.getState().account.editDraft(alice.form);
    const result = await settled(w.clock, alice.store.getState().account.testConnection());
    expect(result).toEqual({ outcome: 'ok' });
    expect(alice.userAgents).toHaveLength(1);
    expect(alice.pcs).toHaveLength(0);
    expect(alice.getUserMedia.calls).toHaveLength(0);
    expect(w.registrar.registers.length).toBeGreaterThanOrEqual(2);
  });

  it('reports the wrong password of a connection test', async () => {
    const w = world();
    const alice = storeParty(w, { user: 'alice', seed: 1 });
    await alice.store.ready;
    alice.store.getState().account.editDraft({ ...alice.form, password: 'nope' });
    const result = await settled(w.clock, alice.store.getState().account.testConnection());
    expect(result.outcome).toBe('wrong-password');
  });

  it('forwards registration and transport events (RFC 3261 §10)', async () => {
    const w = world();
    const alice = storeParty(w, { user: 'alice', seed: 1 });
    await connect(w, alice);
    expect(alice.store.getState().registration).toMatchObject({ state: 'registered' });
    await settled(w.clock, alice.store.getState().account.disconnect());
    expect(alice.store.getState().registration.state).not.toBe('registered');
  });

  it('makes peer connections with the account ICE servers and opens the chosen devices', async () => {
    const ctx = await twoStores({
      alice: { iceServers: [{ urls: 'stun:stun.ringlet.test:3478', username: '', credential: '' }] },
    });
    // settings.setDevice() reaches the engine's selectDevices(), which the next call uses.
    ctx.alice.store.getState().settings.setDevice('microphone', 'mic-2');
    dial(ctx.alice, 'bob');
    await run(ctx.clock);
    expect(ctx.alice.pcs[0]!.configuration.iceServers).toEqual([{ urls: 'stun:stun.ringlet.test:3478' }]);
    expect(ctx.alice.getUserMedia.calls[0]).toEqual({
      audio: { deviceId: { ideal: 'mic-2' } },
      video: false,
    });
  });

  it('ends every call when the account disconnects (engine dispose)', async () => {
    const { clock, alice, bob, outId, inId } = await connectedCall();
    await settled(clock, alice.store.getState().account.disconnect());
    expect(alice.call(outId).state).toBe('ended');
    expect(bob.call(inId).end).toMatchObject({ originator: 'remote', cause: 'bye' });
    expect(alice.history()).toHaveLength(1);
    expect(bob.history()).toHaveLength(1);
  });
});

describe('devices and camera of a live call (replaceTrack, no re-INVITE)', () => {
  const reinvites = (network: World['network']) =>
    wire(network).filter((line) => !line.includes('registrar') && line.endsWith(' INVITE')).length;

  it('settings.setDevice() moves a connected call to the chosen microphone without hanging up', async () => {
    const { clock, network, alice, bob, outId, inId } = await connectedCall();
    const invites = reinvites(network);
    const old = alice.getUserMedia.tracks[0]!;
    alice.store.getState().settings.setDevice('microphone', 'mic-2');
    await run(clock, 20);
    expect(alice.getUserMedia.calls.at(-1)).toEqual({
      audio: { deviceId: { exact: 'mic-2' } },
      video: false,
    });
    const sender = alice.pcs[0]!.transceivers.find((t) => t.kind === 'audio')!.sender;
    expect(sender.track).toBe(alice.getUserMedia.tracks.at(-1));
    expect(old.readyState).toBe('ended');
    expect(alice.pcs[0]!.sendingRtp()).toEqual(['audio']);
    expect(reinvites(network)).toBe(invites);
    expect(alice.call(outId).state).toBe('connected');
    expect(bob.call(inId).state).toBe('connected');
  });

  it('keeps the call when the chosen microphone cannot be opened', async () => {
    const { clock, alice, outId } = await connectedCall({ alice: { devices: { unplugged: ['gone'] } } });
    const old = alice.getUserMedia.tracks[0]!;
    alice.store.getState().settings.setDevice('microphone', 'gone');
    await run(clock, 20);
    expect(old.readyState).toBe('live');
    expect(alice.pcs[0]!.sendingRtp()).toEqual(['audio']);
    expect(alice.call(outId).state).toBe('connected');
  });

  it('calls.setCamera() turns the camera off and on in a video call, and the snapshot says so', async () => {
    const ctx = await twoStores();
    const result = ctx.alice.store.getState().calls.dial('bob', { video: true });
    if (!result.ok) throw new Error(result.reason);
    const outId = result.callId;
    await run(ctx.clock);
    const inId = ctx.bob.calls().order[0]!;
    await settled(ctx.clock, ctx.bob.store.getState().calls.answer(inId, { video: true }));
    expect(ctx.alice.call(outId)).toMatchObject({ state: 'connected', video: true, camera: true });
    const invites = reinvites(ctx.network);
    const videoSender = ctx.alice.pcs[0]!.transceivers.find((t) => t.kind === 'video')!.sender;

    await settled(ctx.clock, ctx.alice.store.getState().calls.setCamera(outId, false), 10);
    expect(videoSender.track).toBeNull();
    expect(ctx.alice.call(outId).camera).toBe(false);
    expect(callSelectors.cameraOn(ctx.alice.store.getState(), outId)).toBe(false);

    await settled(ctx.clock, ctx.alice.store.getState().calls.setCamera(outId, true), 10);
    expect(videoSender.track?.readyState).toBe('live');
    expect(ctx.alice.call(outId).camera).toBe(true);
    expect(reinvites(ctx.network)).toBe(invites);
  });

  it('refuses calls.setCamera() on an audio call (guard ladder)', async () => {
    const { alice, outId } = await connectedCall();
    expect(() => alice.store.getState().calls.setCamera(outId, false)).toThrow(InvalidStateError);
  });
});

describe('mapping phone calls onto the store port', () => {
  it('maps the local hold to on-hold and a remote-only hold to held-by-remote', () => {
    const hold = (local: boolean, remote: boolean) => ({ local, remote, pending: false });
    expect(callStateOf({ state: 'connected', holdState: hold(false, false) })).toBe('connected');
    expect(callStateOf({ state: 'connected', holdState: hold(true, false) })).toBe('on-hold');
    expect(callStateOf({ state: 'connected', holdState: hold(true, true) })).toBe('on-hold');
    expect(callStateOf({ state: 'connected', holdState: hold(false, true) })).toBe('held-by-remote');
    expect(callStateOf({ state: 'early-media', holdState: hold(false, false) })).toBe('early-media');
  });

  it('maps media failure to media-error and a bad dial string to not-found, keeping the sentence', () => {
    expect(callEndOf({ originator: 'local', cause: 'media-failed', reason: 'Microphone blocked.' })).toEqual({
      originator: 'local',
      cause: 'media-error',
      reason: 'Microphone blocked.',
    });
    expect(
      callEndOf({ originator: 'local', cause: 'invalid-target', reason: '"a b" cannot be used' }),
    ).toEqual({ originator: 'local', cause: 'not-found', reason: '"a b" cannot be used' });
    expect(callEndOf({ originator: 'remote', cause: 'busy', status: 486, reason: 'Busy' })).toEqual({
      originator: 'remote',
      cause: 'busy',
      status: 486,
      reason: 'Busy',
    });
  });

  it('shows a same-domain user alone and anyone else as user@host', () => {
    expect(partyOf({ uri: 'sip:bob@ringlet.test', user: 'bob', source: 'to' }, 'ringlet.test')).toEqual({
      name: '',
      number: 'bob',
    });
    expect(
      partyOf(
        { displayName: 'Carol', uri: 'sip:carol@Other.example', user: 'carol', source: 'from' },
        'ringlet.test',
      ),
    ).toEqual({ name: 'Carol', number: 'carol@other.example' });
    expect(partyOf({ uri: 'tel:+15551234', user: '+15551234', source: 'from' }, 'ringlet.test')).toEqual({
      name: '',
      number: '+15551234',
    });
    expect(
      partyOf(
        { uri: 'sip:+15551234@ringlet.test;user=phone', user: '+15551234', source: 'target' },
        'ringlet.test',
      ),
    ).toEqual({ name: '', number: '+15551234' });
  });

  it('asks getUserMedia for the chosen devices without overriding the media layer', () => {
    const devices = { microphoneId: 'mic', speakerId: 'spk', cameraId: 'cam' };
    expect(withDevices({ audio: true, video: false }, devices)).toEqual({
      audio: { deviceId: { ideal: 'mic' } },
      video: false,
    });
    expect(withDevices({ audio: true, video: { width: 640 } }, devices)).toEqual({
      audio: { deviceId: { ideal: 'mic' } },
      video: { width: 640, deviceId: { ideal: 'cam' } },
    });
    expect(withDevices({ audio: { deviceId: 'x' } }, devices)).toEqual({ audio: { deviceId: 'x' } });
    expect(withDevices({ audio: true }, { microphoneId: null, speakerId: null, cameraId: null })).toEqual({
      audio: true,
    });
  });

  it('uses the account ICE servers only when it has some', () => {
    const media = { iceServers: [{ urls: 'stun:default.test' }], bundlePolicy: 'max-bundle' as const };
    expect(withIceServers(media, [])).toBe(media);
    expect(withIceServers(media, [{ urls: 'turn:t.test' }])).toEqual({
      iceServers: [{ urls: 'turn:t.test' }],
      bundlePolicy: 'max-bundle',
    });
  });

  it('refuses commands on calls it does not know and new calls once disposed (named errors)', async () => {
    const { alice } = await twoStores();
    const engine = alice.engines[0]!;
    expect(() => engine.mute('call-99', true)).toThrow(InvalidStateError);
    await expect(engine.answer('call-99', { video: false })).rejects.toThrow(InvalidStateError);
    await expect(engine.hangup('call-99')).resolves.toBeUndefined();
    expect(engine.streams('call-99')).toBeUndefined();
    engine.dispose();
    expect(() => engine.call('bob', { video: false })).toThrow(InvalidStateError);
  });

  it('ends a dial string the phone cannot use with cause not-found and its sentence', async () => {
    const { clock, alice } = await twoStores();
    const engine = alice.engines[0]!;
    const id = engine.call('bob smith', { video: false });
    await run(clock, 5);
    const ended = alice.snapshots.filter((snapshot) => snapshot.id === id && snapshot.state === 'ended');
    expect(ended).toEqual([
      expect.objectContaining({ end: expect.objectContaining({ originator: 'local', cause: 'not-found' }) }),
    ]);
    expect(ended[0]?.end?.reason).toMatch(/user name/);
  });
});
