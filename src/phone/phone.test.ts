import { describe, expect, it } from 'vitest';
import {
  createFakeGetUserMedia,
  createFakePeerConnectionFactory,
  fakeCapabilities,
  type FakeNetworkOptions,
  type FakePeerConnection,
} from '../media/fake-peer-connection';
import { getCSeq } from '../sip/message/headers';
import type { SipMessage, SipRequest } from '../sip/message/sip-message';
import { serializeMessage } from '../sip/message/serialize';
import { parseMessage } from '../sip/parser/parse-message';
import { createRandom } from '../sip/support/random';
import { FakeClock, sequentialBytes } from '../sip/testing/fake-clock';
import { forkingNetwork, forkingProxy } from '../sip/testing/forking-proxy';
import { isRequest, messages, wire } from '../sip/testing/session-harness';
import { LoopbackNetwork, type LoopbackRouter } from '../sip/transport/loopback-transport';
import type {
  SocketCloseEventLike,
  SocketMessageEventLike,
  WebSocketConstructor,
  WebSocketLike,
} from '../sip/transport/websocket-like';
import type { Call, CallHoldState, CallState } from './call';
import type { CallEndInfo } from './call-end';
import type { DtmfMode } from './dtmf';
import { createPhone, type Phone } from './phone';
import { run, settled, useFakeMediaTimers } from './testing/media-timers';

// The fake peer connection gathers candidates on global timers; the SIP core runs on FakeClock.
// Both move together in `run()`, one millisecond at a time.
useFakeMediaTimers();

interface PartyOptions {
  readonly user: string;
  readonly endpoint: string;
  readonly seed: number;
  readonly displayName?: string;
  readonly dtmf?: DtmfMode;
  readonly fake?: FakeNetworkOptions;
}

interface Party {
  readonly phone: Phone;
  readonly pcs: FakePeerConnection[];
  readonly getUserMedia: ReturnType<typeof createFakeGetUserMedia>;
  readonly incoming: Call[];
  pc(n?: number): FakePeerConnection;
  lastIncoming(): Call;
}

function party(network: LoopbackNetwork, clock: FakeClock, options: PartyOptions): Party {
  const factory = createFakePeerConnectionFactory(options.fake);
  const getUserMedia = createFakeGetUserMedia();
  const phone = createPhone({
    account: {
      uri: `sip:${options.user}@ringlet.test`,
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      ...(options.dtmf ? { dtmf: options.dtmf } : {}),
    },
    transport: network.endpoint(options.endpoint, { viaHost: `${options.endpoint}.invalid` }),
    clock,
    random: createRandom(sequentialBytes(options.seed)),
    mediaDependencies: {
      createPeerConnection: factory.create,
      getUserMedia,
      getCapabilities: fakeCapabilities,
    },
  });
  const incoming: Call[] = [];
  phone.on('incoming', (call) => incoming.push(call));
  return {
    phone,
    pcs: factory.instances,
    getUserMedia,
    incoming,
    pc: (n = 0) => factory.instances[n]!,
    lastIncoming: () => {
      const call = incoming.at(-1);
      if (!call) throw new Error('no incoming call');
      return call;
    },
  };
}

/** Rewrites a message on the wire (a PBX or proxy in the middle); Content-Length follows. */
function rewrite(text: string, change: (m: SipMessage) => void): string {
  const parsed = parseMessage(text);
  if (!parsed.ok) return text;
  change(parsed.value);
  return serializeMessage(parsed.value);
}

function methodOf(m: SipMessage): string {
  if (m.kind === 'request') return m.method;
  const cseq = getCSeq(m);
  return cseq.ok ? cseq.value.method : '';
}

/** Removes RFC 4733 telephone-event from an SDP body, as a PBX that does not offer it. */
function withoutTelephoneEvent(sdp: string): string {
  const payloads = [...sdp.matchAll(/^a=rtpmap:(\d+) telephone-event\/\d+\r?$/gm)].map((m) => m[1]!);
  return sdp
    .split('\r\n')
    .filter(
      (line) =>
        !payloads.some((pt) => line.startsWith(`a=rtpmap:${pt} `) || line.startsWith(`a=fmtp:${pt} `)),
    )
    .map((line) =>
      line.startsWith('m=audio ')
        ? line
            .split(' ')
            .filter((token, i) => i < 3 || !payloads.includes(token))
            .join(' ')
        : line,
    )
    .join('\r\n');
}

/** A and B on one loopback network; `change` may rewrite any message between them. */
async function pair(
  options: {
    alice?: Partial<PartyOptions>;
    bob?: Partial<PartyOptions>;
    change?: (m: SipMessage, from: string) => void;
  } = {},
) {
  const clock = new FakeClock();
  const router: LoopbackRouter = ({ from, text }) => {
    const to = from === 'a' ? 'b' : 'a';
    const change = options.change;
    return change ? { to, text: rewrite(text, (m) => change(m, from)) } : to;
  };
  const network = new LoopbackNetwork({ clock, router });
  const alice = party(network, clock, {
    user: 'alice',
    endpoint: 'a',
    seed: 1,
    displayName: 'Alice',
    ...options.alice,
  });
  const bob = party(network, clock, { user: 'bob', endpoint: 'b', seed: 2, ...options.bob });
  await alice.phone.start();
  await bob.phone.start();
  return { clock, network, alice, bob };
}

function record(call: Call) {
  const states: CallState[] = [];
  const holds: CallHoldState[] = [];
  const ended: CallEndInfo[] = [];
  const dtmf: string[] = [];
  call.on('state', (s) => states.push(s));
  call.on('held', (h) => holds.push(h));
  call.on('ended', (e) => ended.push(e));
  call.on('dtmf', (digit, via) => dtmf.push(`${digit}:${via}`));
  return { states, holds, ended, dtmf };
}

/** A calls bob; B rings and answers; both connected. */
async function connected(options: Parameters<typeof pair>[0] = {}, video = false) {
  const ctx = await pair(options);
  const outgoing = ctx.alice.phone.call('bob', { video });
  const a = record(outgoing);
  await run(ctx.clock);
  const incoming = ctx.bob.lastIncoming();
  const b = record(incoming);
  await settled(ctx.clock, incoming.answer({ video }));
  expect(outgoing.state).toBe('connected');
  expect(incoming.state).toBe('connected');
  return { ...ctx, outgoing, incoming, a, b, mark: ctx.network.frames.length };
}

const since = (network: LoopbackNetwork, mark: number) => wire(network).slice(mark);

describe('a call between two phones (RFC 3261 §13, RFC 3264 offer/answer through the media layer)', () => {
  it('rings, is answered, and is connected on both sides with media negotiated', async () => {
    const { clock, network, alice, bob } = await pair();
    const outgoing = alice.phone.call('bob');
    const a = record(outgoing);
    const progress: number[] = [];
    outgoing.on('progress', (status) => progress.push(status));
    expect(outgoing.state).toBe('calling');
    expect(outgoing.remote).toMatchObject({ uri: 'sip:bob@ringlet.test', user: 'bob' });
    await run(clock);

    const incoming = bob.lastIncoming();
    expect(incoming.state).toBe('ringing');
    expect(incoming.direction).toBe('incoming');
    expect(outgoing.state).toBe('ringing');
    expect(progress).toEqual([180]);
    expect(bob.phone.calls).toEqual([incoming]);

    await settled(clock, incoming.answer());
    expect(wire(network)).toEqual(['a>b INVITE', 'b>a 180 INVITE', 'b>a 200 INVITE', 'a>b ACK']);
    expect(a.states).toEqual(['ringing', 'connected']);
    expect(incoming.state).toBe('connected');
    // RFC 3264: the INVITE carried A's offer, the 200 B's answer; each side applied the other's.
    const [invite] = messages(network, isRequest('INVITE')) as SipRequest[];
    expect(invite?.headers.get('Content-Type')).toBe('application/sdp');
    expect(invite?.body).toMatch(/^m=audio 9 UDP\/TLS\/RTP\/SAVPF 111/m);
    expect(alice.pc().signalingState).toBe('stable');
    expect(bob.pc().signalingState).toBe('stable');
    expect(alice.pc().remoteDescription?.type).toBe('answer');
    expect(outgoing.remoteStream).toBeDefined();
    expect(incoming.remoteStream).toBeDefined();
    // Audio both ways: each side sends its microphone on the negotiated stream.
    expect(alice.pc().sendingRtp()).toEqual(['audio']);
    expect(bob.pc().sendingRtp()).toEqual(['audio']);
  });

  it('plays the remote audio of a peer whose SDP names no stream (a PBX: no a=msid)', async () => {
    const { outgoing, incoming, alice } = await connected({
      change: (m) => {
        if (m.body !== '') m.body = m.body.replace(/^a=msid:.*\r\n/gm, '');
      },
    });
    expect(alice.pc().remoteDescription?.sdp).not.toMatch(/^a=msid:/m);
    for (const call of [outgoing, incoming]) {
      const stream = call.remoteStream as unknown as { getTracks(): Array<{ kind: string }> } | undefined;
      expect(stream?.getTracks().map((t) => t.kind)).toEqual(['audio']);
    }
  });

  it('emits remoteStream for each remote track of a video call, always with the one stream of the call', async () => {
    const ctx = await pair();
    const outgoing = ctx.alice.phone.call('bob', { video: true });
    const seen: unknown[] = [];
    outgoing.on('remoteStream', (stream) => seen.push(stream));
    await run(ctx.clock);
    await settled(ctx.clock, ctx.bob.lastIncoming().answer({ video: true }));
    expect(outgoing.state).toBe('connected');
    const stream = outgoing.remoteStream as unknown as { getTracks(): Array<{ kind: string }> } | undefined;
    expect(seen).toEqual([stream, stream]);
    expect(stream?.getTracks().map((t) => t.kind)).toEqual(['audio', 'video']);
    expect(ctx.bob.pc().sendingRtp()).toEqual(['audio', 'video']);
  });

  it('ends both sides with originator and cause when one hangs up (§15.1)', async () => {
    const { clock, network, outgoing, incoming, a, b, mark } = await connected();
    const done = outgoing.hangup();
    await run(clock);
    await done;
    expect(since(network, mark)).toEqual(['a>b BYE', 'b>a 200 BYE']);
    expect(a.ended).toEqual([
      expect.objectContaining({ originator: 'local', cause: 'bye', reason: 'You hung up.' }),
    ]);
    expect(b.ended).toEqual([
      expect.objectContaining({ originator: 'remote', cause: 'bye', reason: 'The other side hung up.' }),
    ]);
    expect(incoming.state).toBe('ended');
    expect(outgoing.state).toBe('ended');
  });

  it('releases the peer connection and forgets the call when it ends', async () => {
    const { clock, alice, bob, outgoing } = await connected();
    await Promise.all([outgoing.hangup(), run(clock)]);
    expect(alice.pc().signalingState).toBe('closed');
    expect(bob.pc().signalingState).toBe('closed');
    expect(alice.phone.calls).toEqual([]);
    expect(bob.phone.calls).toEqual([]);
  });

  it('keeps going when an application listener throws (safe emit)', async () => {
    const { clock, alice, bob } = await pair();
    const outgoing = alice.phone.call('bob');
    outgoing.on('state', () => {
      throw new Error('listener bug');
    });
    outgoing.on('progress', () => {
      throw new Error('listener bug');
    });
    await run(clock);
    await settled(clock, bob.lastIncoming().answer());
    expect(outgoing.state).toBe('connected');
  });

  it('places a number as sip:<digits>@domain;user=phone (RFC 3261 §19.1.1)', async () => {
    const { clock, network, alice } = await pair();
    alice.phone.call('+1 (555) 123-4567');
    await run(clock);
    const [invite] = messages(network, isRequest('INVITE')) as SipRequest[];
    expect(serializeMessage(invite!).split('\r\n')[0]).toBe(
      'INVITE sip:+15551234567@ringlet.test;user=phone SIP/2.0',
    );
  });

  it('ends a call to a dial string that is no address at once, with a typed cause', async () => {
    const { clock, network, alice } = await pair();
    const call = alice.phone.call('bob smith');
    const { ended } = record(call);
    await run(clock, 5);
    expect(ended).toEqual([expect.objectContaining({ cause: 'invalid-target', originator: 'local' })]);
    expect(ended[0]?.reason).toMatch(/cannot be used as a user name/);
    expect(wire(network)).toEqual([]);
  });
});

describe('RFC 3264 §8.4 hold and resume by re-INVITE', () => {
  it('shows the hold as pending until the 2xx, then held locally; the other side sees itself held', async () => {
    const { clock, network, outgoing, a, b, incoming, mark, alice, bob } = await connected();
    const outcome = outgoing.hold();
    await Promise.resolve();
    expect(outgoing.holdState).toEqual({ local: false, remote: false, pending: true });
    await run(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(outgoing.holdState).toEqual({ local: true, remote: false, pending: false });
    expect(since(network, mark)).toEqual(['a>b INVITE', 'b>a 200 INVITE', 'a>b ACK']);
    const reinvite = messages(network, isRequest('INVITE'))[1]!;
    expect(reinvite.body).toMatch(/a=sendonly/);
    expect(incoming.holdState).toEqual({ local: false, remote: true, pending: false });
    // Held means silent both ways: B answered recvonly, and A's microphone is off the wire.
    expect(alice.pc().sendingRtp()).toEqual([]);
    expect(bob.pc().sendingRtp()).toEqual([]);
    expect(a.holds.map((h) => [h.local, h.pending])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    expect(b.holds.at(-1)).toEqual({ local: false, remote: true, pending: false });

    const resumed = outgoing.resume();
    await run(clock);
    expect(await resumed).toEqual({ ok: true });
    expect(outgoing.holdState).toEqual({ local: false, remote: false, pending: false });
    expect(incoming.holdState).toEqual({ local: false, remote: false, pending: false });
    expect(messages(network, isRequest('INVITE'))[2]!.body).toMatch(/a=sendrecv/);
    expect(alice.pc().sendingRtp()).toEqual(['audio']);
    expect(bob.pc().sendingRtp()).toEqual(['audio']);
  });

  it('reports being held by the remote side', async () => {
    const { clock, outgoing, incoming } = await connected();
    const outcome = incoming.hold();
    await run(clock);
    expect(await outcome).toEqual({ ok: true });
    expect(incoming.holdState.local).toBe(true);
    expect(outgoing.holdState).toEqual({ local: false, remote: true, pending: false });
    expect(outgoing.state).toBe('connected');
  });

  it('leaves the call as it was when the hold re-INVITE is refused (§14.1)', async () => {
    const ctx = await connected({
      change: (m) => {
        if (m.kind === 'request' && m.method === 'INVITE' && /a=sendonly/.test(m.body)) {
          m.headers.set('Require', 'no-such-extension');
        }
      },
    });
    const outcome = ctx.outgoing.hold();
    await run(ctx.clock);
    expect(await outcome).toMatchObject({ ok: false, status: 420 });
    expect(ctx.outgoing.holdState).toEqual({ local: false, remote: false, pending: false });
    expect(ctx.alice.pc().signalingState).toBe('stable');
    expect(ctx.outgoing.state).toBe('connected');
  });

  it('refuses hold on a call that is not connected (named error)', async () => {
    const { alice } = await pair();
    const call = alice.phone.call('bob');
    await expect(call.hold()).rejects.toThrow(/needs a connected call/);
  });
});

describe('mute (track disabled, no re-INVITE)', () => {
  it('disables the microphone track without any SIP message', async () => {
    const { clock, network, alice, outgoing, mark } = await connected();
    const muted: boolean[] = [];
    outgoing.on('muted', (m) => muted.push(m));
    outgoing.mute(true);
    await run(clock, 10);
    expect(outgoing.muted).toBe(true);
    expect(alice.getUserMedia.tracks[0]?.enabled).toBe(false);
    expect(since(network, mark)).toEqual([]);
    outgoing.mute(false);
    expect(alice.getUserMedia.tracks[0]?.enabled).toBe(true);
    expect(muted).toEqual([true, false]);
  });
});

describe('switching microphone and camera mid-call (replaceTrack, no re-INVITE)', () => {
  it('moves a connected call to another microphone; the other side keeps receiving, nothing goes on the wire', async () => {
    const { clock, network, alice, bob, outgoing, mark } = await connected();
    const old = alice.getUserMedia.tracks[0]!;
    const switched: string[] = [];
    outgoing.on('deviceSwitched', (change) => switched.push(`${change.kind}:${String(change.deviceId)}`));
    const changes = await settled(clock, outgoing.switchDevices({ microphoneId: 'headset' }), 10);
    expect(changes.map((c) => c.deviceId)).toEqual(['headset']);
    expect(switched).toEqual(['audio:headset']);
    expect(old.readyState).toBe('ended');
    const sender = alice.pc().transceivers.find((t) => t.kind === 'audio')!.sender;
    expect(sender.track).toBe(alice.getUserMedia.tracks.at(-1));
    expect(sender.track?.readyState).toBe('live');
    expect(alice.pc().sendingRtp()).toEqual(['audio']);
    expect(bob.pc().transceivers.find((t) => t.kind === 'audio')!.remoteSending).toBe(true);
    expect(since(network, mark)).toEqual([]);
    expect(alice.pc().signalingState).toBe('stable');
  });

  it('keeps mute across the switch', async () => {
    const { clock, alice, outgoing } = await connected();
    outgoing.mute(true);
    await settled(clock, outgoing.switchDevices({ microphoneId: 'headset' }), 10);
    expect(alice.getUserMedia.tracks.at(-1)?.enabled).toBe(false);
    expect(outgoing.muted).toBe(true);
  });

  it('phone.selectDevices() switches every live call and the calls placed afterwards', async () => {
    const { clock, alice, outgoing } = await connected();
    const failures = await settled(clock, alice.phone.selectDevices({ microphoneId: 'headset' }), 10);
    expect(failures).toEqual([]);
    expect(alice.phone.devices).toEqual({ microphoneId: 'headset', cameraId: null });
    expect(alice.getUserMedia.calls.at(-1)).toEqual({
      audio: { deviceId: { exact: 'headset' } },
      video: false,
    });
    expect(alice.pc().sendingRtp()).toEqual(['audio']);
    await settled(clock, outgoing.hangup());
    alice.phone.call('bob');
    await run(clock);
    expect(alice.getUserMedia.calls.at(-1)).toEqual({
      audio: { deviceId: { ideal: 'headset' } },
      video: false,
    });
  });

  it('switches the camera of a video call and reports the camera on and off', async () => {
    const { clock, network, alice, outgoing, mark } = await connected({}, true);
    const camera: boolean[] = [];
    outgoing.on('camera', (on) => camera.push(on));
    expect(outgoing.camera).toBe(true);
    await settled(clock, outgoing.switchDevices({ cameraId: 'usb-camera' }), 10);
    const videoSender = alice.pc().transceivers.find((t) => t.kind === 'video')!.sender;
    expect(videoSender.track).toBe(alice.getUserMedia.tracks.at(-1));
    expect(alice.pc().sendingRtp().sort()).toEqual(['audio', 'video']);
    await outgoing.setCamera(false);
    expect(outgoing.camera).toBe(false);
    await outgoing.setCamera(true);
    expect(camera).toEqual([false, true]);
    expect(since(network, mark)).toEqual([]);
  });

  it('refuses to switch devices on an ended call (named error)', async () => {
    const { clock, outgoing } = await connected();
    await settled(clock, outgoing.hangup());
    await expect(outgoing.switchDevices({ microphoneId: 'x' })).rejects.toThrow(/ended call/);
  });
});

describe('DTMF: RFC 4733 when negotiated, SIP INFO otherwise (RFC 6086)', () => {
  it('sends RFC 4733 events through the DTMF sender when telephone-event was negotiated', async () => {
    const { clock, network, alice, outgoing, mark } = await connected();
    expect(alice.pc().localDescription?.sdp).toMatch(/telephone-event/);
    const result = await settled(clock, outgoing.sendDtmf('12#'), 10);
    expect(result).toEqual({ ok: true, via: 'rfc4733' });
    const sender = alice.pc().transceivers.find((t) => t.kind === 'audio')!.sender;
    expect(sender.dtmf?.sent).toEqual([{ tones: '12#', duration: 100, gap: 70 }]);
    expect(since(network, mark)).toEqual([]);
  });

  it('falls back to INFO application/dtmf-relay when the SDP has no telephone-event; the other side reports the digits', async () => {
    const { clock, network, alice, outgoing, b, mark } = await connected({
      change: (m) => {
        if (m.body !== '' && /application\/sdp/.test(m.headers.get('Content-Type') ?? '')) {
          m.body = withoutTelephoneEvent(m.body);
        }
      },
    });
    expect(alice.pc().remoteDescription?.sdp).not.toMatch(/telephone-event/);
    const sending = outgoing.sendDtmf('1#');
    await run(clock);
    expect(await sending).toEqual({ ok: true, via: 'info' });
    expect(since(network, mark)).toEqual(['a>b INFO', 'b>a 200 INFO', 'a>b INFO', 'b>a 200 INFO']);
    const infos = messages(network, isRequest('INFO')) as SipRequest[];
    expect(infos.map((m) => m.headers.get('Content-Type'))).toEqual([
      'application/dtmf-relay',
      'application/dtmf-relay',
    ]);
    expect(infos[0]?.body).toBe('Signal=1\r\nDuration=160\r\n');
    expect(infos[1]?.body).toBe('Signal=#\r\nDuration=160\r\n');
    expect(alice.pc().transceivers[0]!.sender.dtmf?.sent).toEqual([]);
    expect(b.dtmf).toEqual(['1:info', '#:info']);
  });

  it('uses INFO when the account says so, even with telephone-event negotiated', async () => {
    const { clock, network, outgoing, mark } = await connected({ alice: { dtmf: 'info' } });
    const sending = outgoing.sendDtmf('5');
    await run(clock);
    expect(await sending).toEqual({ ok: true, via: 'info' });
    expect(since(network, mark)).toEqual(['a>b INFO', 'b>a 200 INFO']);
  });

  it('reports application/dtmf digits; answers 400 to a dtmf-relay body without a digit and 415 with Accept to another type (RFC 3261 §8.2.3), without ending the call', async () => {
    // What B's INFOs become on the way: a bare application/dtmf digit, a dtmf-relay body with no
    // valid Signal, an INFO for something else entirely, and a dtmf-relay event code.
    const bodies: Array<[string, string]> = [
      ['application/dtmf', '7'],
      ['application/dtmf-relay', 'Signal=Z\r\nDuration=abc\r\n'],
      ['text/plain', '<b>hello</b>'],
      ['application/dtmf-relay', 'signal = 11\r\n'],
    ];
    let n = 0;
    const { clock, network, outgoing, incoming, a, mark } = await connected({
      bob: { dtmf: 'info' },
      change: (m, from) => {
        if (from !== 'b' || m.kind !== 'request' || m.method !== 'INFO') return;
        const [type, body] = bodies[n++]!;
        m.headers.set('Content-Type', type);
        m.body = body;
      },
    });
    const results = [];
    for (let i = 0; i < bodies.length; i++) {
      const sending = incoming.sendDtmf('1');
      await run(clock, 20);
      results.push(await sending);
    }
    expect(results).toEqual([
      { ok: true, via: 'info' },
      { ok: false, via: 'info', status: 400, digit: '1' },
      { ok: false, via: 'info', status: 415, digit: '1' },
      { ok: true, via: 'info' },
    ]);
    expect(since(network, mark).filter((l) => l.endsWith('INFO'))).toEqual([
      'b>a INFO',
      'a>b 200 INFO',
      'b>a INFO',
      'a>b 400 INFO',
      'b>a INFO',
      'a>b 415 INFO',
      'b>a INFO',
      'a>b 200 INFO',
    ]);
    const refused = messages(network).find((m): m is SipMessage => m.kind === 'response' && m.status === 415);
    expect(refused?.headers.get('Accept')).toBe('application/dtmf-relay, application/dtmf');
    expect(a.dtmf).toEqual(['7:info', '#:info']);
    expect(outgoing.state).toBe('connected');
  });

  it('answers 200 to an INFO without a body (a PBX probe)', async () => {
    const { clock, network, incoming, mark } = await connected({
      bob: { dtmf: 'info' },
      change: (m, from) => {
        if (from !== 'b' || m.kind !== 'request' || m.method !== 'INFO') return;
        m.headers.delete('Content-Type');
        m.body = '';
      },
    });
    const sending = incoming.sendDtmf('1');
    await run(clock, 20);
    expect(await sending).toEqual({ ok: true, via: 'info' });
    expect(since(network, mark)).toEqual(['b>a INFO', 'a>b 200 INFO']);
  });
});

describe('call failures in plain words', () => {
  it('486 Busy Here: the caller ends with cause busy', async () => {
    const { clock, alice, bob } = await pair();
    const outgoing = alice.phone.call('bob');
    const a = record(outgoing);
    await run(clock);
    const incoming = bob.lastIncoming();
    const b = record(incoming);
    await incoming.reject(486);
    await run(clock);
    expect(a.ended).toEqual([
      { originator: 'remote', cause: 'busy', status: 486, reason: 'Busy', detail: '486 Busy Here' },
    ]);
    expect(b.ended).toEqual([expect.objectContaining({ originator: 'local', cause: 'busy', status: 486 })]);
  });

  it('CANCEL before the answer: the caller cancelled, the callee missed it (§9)', async () => {
    const { clock, network, alice, bob } = await pair();
    const outgoing = alice.phone.call('bob');
    const a = record(outgoing);
    await run(clock);
    const incoming = bob.lastIncoming();
    const b = record(incoming);
    const done = outgoing.hangup();
    await run(clock);
    await done;
    expect(wire(network)).toEqual([
      'a>b INVITE',
      'b>a 180 INVITE',
      'a>b CANCEL',
      'b>a 200 CANCEL',
      'b>a 487 INVITE',
      'a>b ACK',
    ]);
    expect(a.ended).toEqual([
      expect.objectContaining({ originator: 'local', cause: 'cancel', reason: 'Call cancelled' }),
    ]);
    expect(b.ended).toEqual([
      expect.objectContaining({
        originator: 'remote',
        cause: 'cancel',
        reason: 'The caller hung up before the call was answered.',
      }),
    ]);
  });

  it('488 for an offer the browser cannot use: the callee explains the codecs, the caller the status', async () => {
    const { clock, alice, bob } = await pair({
      // A gateway that offers only G.729 (RFC 3551 payload 18); the browser refuses the offer.
      change: (m, from) => {
        if (from === 'a' && m.kind === 'request' && m.method === 'INVITE') {
          m.body = m.body
            .replace(/^m=audio 9 UDP\/TLS\/RTP\/SAVPF [\d ]+$/m, 'm=audio 9 UDP/TLS/RTP/SAVPF 18')
            .replace(/^a=(rtpmap|fmtp|rtcp-fb):(?!18 ).*\r\n/gm, '')
            .replace(/^a=mid:0\r\n/m, 'a=mid:0\r\na=rtpmap:18 G729/8000\r\n');
        }
      },
      bob: {
        fake: {
          rejectRemoteDescription: (d) =>
            /opus|PCMU/.test(d.sdp ?? '') ? undefined : new DOMException('no codec', 'OperationError'),
        },
      },
    });
    const outgoing = alice.phone.call('bob');
    const a = record(outgoing);
    await run(clock);
    const incoming = bob.lastIncoming();
    const b = record(incoming);
    await settled(clock, incoming.answer());
    expect(b.ended[0]).toMatchObject({ originator: 'local', cause: 'not-acceptable', status: 488 });
    expect(b.ended[0]?.reason).toBe(
      'The other side offered only G.729, which this browser cannot use (it supports Opus, G.722, G.711 µ-law (PCMU) and G.711 A-law (PCMA)).',
    );
    expect(a.ended[0]).toMatchObject({ originator: 'remote', cause: 'not-acceptable', status: 488 });
    expect(a.ended[0]?.reason).toBe('The other side could not accept the call’s audio or video settings.');
  });

  it('488 with a Warning header: the caller is told what the other side said (§20.43)', async () => {
    const { clock, alice, bob } = await pair({
      change: (m) => {
        if (m.kind === 'response' && m.status === 488) {
          m.headers.append('Warning', '305 pbx.example.com "Incompatible media format"');
        }
      },
    });
    const outgoing = alice.phone.call('bob');
    const a = record(outgoing);
    await run(clock);
    await bob.lastIncoming().reject(488);
    await run(clock);
    expect(a.ended[0]).toMatchObject({ cause: 'not-acceptable', status: 488 });
    expect(a.ended[0]?.reason).toBe(
      'The other side could not accept the call’s audio or video settings. The other side says it has no audio or video format in common with this browser ("Incompatible media format").',
    );
  });

  it('a microphone that cannot be opened ends the outgoing call with media-failed and the device message', async () => {
    const { clock, network } = await pair();
    const blocked = createPhone({
      account: { uri: 'sip:carol@ringlet.test' },
      transport: network.endpoint('c', { viaHost: 'c.invalid' }),
      clock,
      random: createRandom(sequentialBytes(9)),
      mediaDependencies: {
        createPeerConnection: createFakePeerConnectionFactory().create,
        getUserMedia: createFakeGetUserMedia({ failWith: 'NotAllowedError' }),
        getCapabilities: fakeCapabilities,
      },
    });
    await blocked.start();
    const call = blocked.call('bob');
    const { ended } = record(call);
    await run(clock);
    expect(ended[0]).toMatchObject({ cause: 'media-failed', originator: 'system' });
    expect(ended[0]?.reason).toMatch(/^Microphone access was denied/);
  });
});

describe('remote identity (RFC 3325 P-Asserted-Identity, else From/To)', () => {
  it('shows the From display name of an incoming call as plain text, HTML included', async () => {
    const name = '<img src=x onerror="alert(1)"> Alice & Co';
    const { clock, alice, bob } = await pair({ alice: { displayName: name } });
    alice.phone.call('bob');
    await run(clock);
    expect(bob.lastIncoming().remote).toEqual({
      displayName: name,
      uri: 'sip:alice@ringlet.test',
      user: 'alice',
      source: 'from',
    });
  });

  it('prefers P-Asserted-Identity on the INVITE and on the answer', async () => {
    const { clock, alice, bob } = await pair({
      change: (m) => {
        if (m.kind === 'request' && m.method === 'INVITE')
          m.headers.set('P-Asserted-Identity', '"Reception" <sip:100@ringlet.test>, <tel:+15550100>');
        if (m.kind === 'response' && m.status === 200 && methodOf(m) === 'INVITE')
          m.headers.set('P-Asserted-Identity', '"Bob Builder" <sip:bob.b@ringlet.test>');
      },
    });
    const outgoing = alice.phone.call('bob');
    const remotes: string[] = [];
    outgoing.on('remote', (p) => remotes.push(p.displayName ?? ''));
    await run(clock);
    const incoming = bob.lastIncoming();
    expect(incoming.remote).toEqual({
      displayName: 'Reception',
      uri: 'sip:100@ringlet.test',
      user: '100',
      source: 'p-asserted-identity',
    });
    await settled(clock, incoming.answer());
    expect(outgoing.remote).toMatchObject({ displayName: 'Bob Builder', uri: 'sip:bob.b@ringlet.test' });
    expect(remotes).toEqual(['Bob Builder']);
  });
});

/**
 * Alice, and Bob registered twice (b1, b2) behind a forking proxy that, when one answers, CANCELs the
 * other with `Reason: SIP;cause=200` (RFC 3326; src/sip/testing/forking-proxy.ts).
 */
async function forked() {
  const clock = new FakeClock();
  const network = forkingNetwork(clock);
  const alice = party(network, clock, { user: 'alice', endpoint: 'a', seed: 1 });
  const b1 = party(network, clock, { user: 'bob', endpoint: 'b1', seed: 2 });
  const b2 = party(network, clock, { user: 'bob', endpoint: 'b2', seed: 3 });
  const proxy = forkingProxy(network, { branches: ['b1', 'b2'], cancelOthers: true });
  for (const p of [alice, b1, b2]) await p.phone.start();
  await proxy.connect();
  return { clock, network, alice, b1, b2 };
}

describe('RFC 3326 call completed elsewhere (B registered twice, a forking proxy)', () => {
  it('rings both devices; the one that did not answer stops with "Call completed elsewhere"', async () => {
    const { clock, alice, b1, b2 } = await forked();
    const outgoing = alice.phone.call('sip:bob@ringlet.test');
    await run(clock);
    const [first, second] = [b1.lastIncoming(), b2.lastIncoming()];
    expect(first.state).toBe('ringing');
    expect(second.state).toBe('ringing');
    const lost = record(second);
    await settled(clock, first.answer());
    expect(outgoing.state).toBe('connected');
    expect(first.state).toBe('connected');
    expect(lost.ended).toEqual([
      expect.objectContaining({
        originator: 'remote',
        cause: 'completed-elsewhere',
        reason: 'Call completed elsewhere',
      }),
    ]);
  });
});

describe('video, camera and statistics', () => {
  it('offers and answers video; the camera goes off and on without a re-INVITE', async () => {
    const { clock, network, alice, outgoing, incoming, mark } = await connected({}, true);
    expect(outgoing.video).toBe(true);
    expect(incoming.video).toBe(true);
    expect(messages(network, isRequest('INVITE'))[0]!.body).toMatch(/^m=video /m);
    const videoSender = alice.pc().transceivers.find((t) => t.kind === 'video')!.sender;
    await outgoing.setCamera(false);
    expect(videoSender.track).toBeNull();
    await outgoing.setCamera(true);
    expect(videoSender.track?.kind).toBe('video');
    await run(clock, 10);
    expect(since(network, mark)).toEqual([]);
  });

  it('reports an incoming video offer while ringing', async () => {
    const { clock, alice, bob } = await pair();
    alice.phone.call('bob', { video: true });
    await run(clock);
    expect(bob.lastIncoming().video).toBe(true);
  });

  it('summarises the media layer statistics', async () => {
    const { alice, outgoing } = await connected();
    alice.pc().stats = [
      { id: 'in', type: 'inbound-rtp', kind: 'audio', packetsReceived: 42, bytesReceived: 4200 },
      { id: 'out', type: 'outbound-rtp', kind: 'audio', packetsSent: 40, bytesSent: 4000 },
    ];
    const stats = await outgoing.getStats();
    expect(stats.audio).toMatchObject({ packetsReceived: 42, packetsSent: 40 });
  });
});

describe('transport: the user agent makes and keeps the WebSocket (RFC 7118, RFC 5626 §4.4.1 keep-alive)', () => {
  /** A server that completes the handshake and never answers a CRLF ping (as Kamailio's websocket module). */
  class SilentServerSocket implements WebSocketLike {
    static readonly sockets: SilentServerSocket[] = [];
    readyState = 0;
    protocol = '';
    readonly sent: string[] = [];
    onopen: ((event: unknown) => void) | null = null;
    onclose: ((event: SocketCloseEventLike) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    onmessage: ((event: SocketMessageEventLike) => void) | null = null;
    constructor(readonly url: string) {
      SilentServerSocket.sockets.push(this);
    }
    send(data: string): void {
      this.sent.push(data);
    }
    close(): void {
      this.readyState = 3;
    }
    accept(): void {
      this.readyState = 1;
      this.protocol = 'sip';
      this.onopen?.({});
    }
  }

  it('connects to account.servers and falls back to the OPTIONS ping when CRLF pings go unanswered', async () => {
    const clock = new FakeClock();
    const phone = createPhone({
      account: { uri: 'sip:alice@ringlet.test', servers: ['wss://pbx.ringlet.test/ws'] },
      WebSocket: SilentServerSocket as unknown as WebSocketConstructor,
      clock,
      random: createRandom(sequentialBytes(7)),
      mediaDependencies: {
        createPeerConnection: createFakePeerConnectionFactory().create,
        getUserMedia: createFakeGetUserMedia(),
      },
    });
    const started = phone.start();
    const socket = SilentServerSocket.sockets.at(-1)!;
    expect(socket.url).toBe('wss://pbx.ringlet.test/ws');
    socket.accept();
    await started;
    expect(phone.transportState).toBe('connected');
    for (let elapsed = 0; elapsed < 120_000; elapsed += 1_000) {
      clock.advance(1_000);
      await Promise.resolve();
    }
    expect(socket.sent).toContain('\r\n\r\n');
    expect(socket.sent.some((frame) => frame.startsWith('OPTIONS sip:ringlet.test SIP/2.0'))).toBe(true);
  });
});
