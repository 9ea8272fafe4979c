import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'sdp-transform';
import { MediaSession } from './media-session';
import type { MediaSessionConfig } from './media-session';
import {
  createFakeGetUserMedia,
  createFakePeerConnectionFactory,
  fakeCapabilities,
} from './fake-peer-connection';
import type {
  FakeDevices,
  FakeNetworkOptions,
  FakePeerConnection,
  FakeMediaStreamTrack,
} from './fake-peer-connection';
import {
  MediaAccessError,
  MediaArgumentError,
  MediaNegotiationError,
  MediaStateError,
  MediaUnsupportedError,
} from './errors';
import { countCandidates, hasEndOfCandidates } from './sdp/candidates';
import { readRemoteDirections } from './sdp/hold';
import { mediaCodecs } from './sdp/codecs';
import {
  ASTERISK_G711_OFFER,
  ASTERISK_OPUS_ANSWER,
  FREESWITCH_EARLY_ANSWER,
  GATEWAY_G729_GSM_SAVPF_OFFER,
  SESSION_SENDONLY_MEDIA_SENDRECV,
} from './sdp/__fixtures__/sdp-fixtures';

interface Side {
  session: MediaSession;
  pc: FakePeerConnection;
  getUserMedia: ReturnType<typeof createFakeGetUserMedia>;
}

function side(
  network: FakeNetworkOptions = {},
  config: MediaSessionConfig = {},
  devices: FakeDevices = {},
): Side {
  const factory = createFakePeerConnectionFactory(network);
  const getUserMedia = createFakeGetUserMedia(devices);
  const session = new MediaSession(
    { createPeerConnection: factory.create, getUserMedia, getCapabilities: fakeCapabilities },
    config,
  );
  return { session, pc: factory.instances[0]!, getUserMedia };
}

/** Settles a promise while fake timers run, returning how long it took. */
async function settle<T>(
  promise: Promise<T>,
  stepMs = 1,
  limitMs = 10_000,
): Promise<{ value: T; elapsed: number }> {
  let done = false;
  let value!: T;
  let failure: unknown;
  let failed = false;
  promise.then(
    (v) => {
      done = true;
      value = v;
    },
    (error: unknown) => {
      done = true;
      failed = true;
      failure = error;
    },
  );
  let elapsed = 0;
  await vi.advanceTimersByTimeAsync(0);
  while (!done && elapsed < limitMs) {
    await vi.advanceTimersByTimeAsync(stepMs);
    elapsed += stepMs;
  }
  if (!done) throw new Error(`did not settle within ${limitMs} ms`);
  if (failed) throw failure;
  return { value, elapsed };
}

const run = async <T>(promise: Promise<T>): Promise<T> => (await settle(promise)).value;

const audioDirection = (sdp: string) =>
  readRemoteDirections(sdp).find((line) => line.kind === 'audio')?.direction;

async function connect(a: Side, b: Side, video = false): Promise<void> {
  const offer = await run(a.session.getOffer({ video }));
  const answer = await run(b.session.getAnswer(offer, { video }));
  await run(a.session.setAnswer(answer));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ICE gathering never holds the INVITE back', () => {
  it('returns the offer at the 500 ms default with the host candidates when the STUN server never answers', async () => {
    const { session } = side(
      { unreachableIceServers: true, hostCandidates: 2 },
      { iceServers: [{ urls: 'stun:stun.unreachable.invalid:3478' }] },
    );
    const { value: offer, elapsed } = await settle(session.getOffer());
    expect(elapsed).toBe(500);
    expect(countCandidates(offer)).toMatchObject({ host: 2, srflx: 0 });
    expect(hasEndOfCandidates(offer)).toBe(false);
  });

  it('honours a configured timeout', async () => {
    const { session } = side(
      { unreachableIceServers: true },
      {
        iceServers: [{ urls: 'turn:turn.invalid', username: 'u', credential: 'p' }],
        iceGatheringTimeoutMs: 200,
      },
    );
    expect((await settle(session.getOffer())).elapsed).toBe(200);
  });

  it('returns as soon as gathering completes, with server-reflexive candidates', async () => {
    const { session } = side({ serverDelayMs: 40 }, { iceServers: [{ urls: 'stun:stun.example.org' }] });
    const { value: offer, elapsed } = await settle(session.getOffer());
    expect(elapsed).toBeLessThan(100);
    expect(countCandidates(offer)).toMatchObject({ host: 1, srflx: 1 });
    expect(hasEndOfCandidates(offer)).toBe(true);
  });

  it('waits past the timeout for a first candidate, up to the hard limit', async () => {
    const late = side(
      { hostDelayMs: 800, unreachableIceServers: true },
      { iceServers: [{ urls: 'stun:x.invalid' }] },
    );
    const first = await settle(late.session.getOffer());
    expect(first.elapsed).toBe(800);
    expect(countCandidates(first.value).host).toBe(1);

    const never = side({ hostDelayMs: 60_000 });
    const second = await settle(never.session.getOffer());
    expect(second.elapsed).toBe(3000);
    expect(countCandidates(second.value).total).toBe(0);
  });

  it('passes the configured STUN/TURN servers and policy to the peer connection', () => {
    const iceServers = [{ urls: ['turns:turn.example.org:5349'], username: 'alice', credential: 's3cret' }];
    const { pc } = side({}, { iceServers, iceTransportPolicy: 'relay' });
    expect(pc.configuration).toEqual({ iceServers, iceTransportPolicy: 'relay' });
  });

  it('offers new ICE credentials on an ICE restart', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const before = parse(a.pc.localDescription!.sdp).media[0]!.iceUfrag;
    const restart = await run(a.session.getOffer({ iceRestart: true }));
    expect(parse(restart).media[0]!.iceUfrag).not.toBe(before);
    const again = await run(b.session.getAnswer(restart));
    await run(a.session.setAnswer(again));
    expect(parse(await run(a.session.getOffer())).media[0]!.iceUfrag).toBe(parse(restart).media[0]!.iceUfrag);
  });
});

describe('one serial queue per peer connection', () => {
  it('never interleaves peer connection operations', async () => {
    const a = side({ operationDelayMs: 5 });
    const offer = a.session.getOffer();
    const answer = a.session.setAnswer(ASTERISK_OPUS_ANSWER);
    const stats = a.session.getStats();
    await run(Promise.all([offer, answer, stats]));
    expect(a.pc.overlaps).toBe(0);
    expect(a.pc.operations).toEqual([
      'createOffer:start',
      'createOffer:end',
      'setLocalDescription:start',
      'setLocalDescription:end',
      'setRemoteDescription:start',
      'setRemoteDescription:end',
    ]);
    expect(a.pc.signalingState).toBe('stable');
  });

  it('the fake detects interleaving when the queue is bypassed', async () => {
    const a = side({ operationDelayMs: 5 });
    await run(Promise.all([a.pc.createOffer(), a.pc.createOffer()]));
    expect(a.pc.overlaps).toBe(1);
  });

  it('runs a rollback and a new offer queued behind an outstanding offer', async () => {
    const a = side({ operationDelayMs: 2 });
    const results = await run(Promise.all([a.session.hold(), a.session.rollback(), a.session.getOffer()]));
    expect(results[2]).toMatch(/a=sendrecv/);
    expect(a.pc.overlaps).toBe(0);
  });
});

describe('RFC 3264 answers: a repeated identical answer is applied once', () => {
  it('ignores the 200 carrying the SDP of the 183 (FreeSWITCH)', async () => {
    const a = side();
    await run(a.session.getOffer());
    await run(a.session.setAnswer(FREESWITCH_EARLY_ANSWER));
    await run(a.session.setAnswer(FREESWITCH_EARLY_ANSWER.replace(/\r\n/g, '\n')));
    expect(a.pc.operations.filter((op) => op === 'setRemoteDescription:start')).toHaveLength(1);
  });

  it('applies a provisional answer, then the final one even when identical', async () => {
    const a = side();
    await run(a.session.getOffer());
    await run(a.session.setAnswer(FREESWITCH_EARLY_ANSWER, { provisional: true }));
    expect(a.pc.signalingState).toBe('have-remote-pranswer');
    await run(a.session.setAnswer(FREESWITCH_EARLY_ANSWER));
    expect(a.pc.signalingState).toBe('stable');
  });

  it('refuses a different answer when no offer is outstanding', async () => {
    const a = side();
    await run(a.session.getOffer());
    await run(a.session.setAnswer(FREESWITCH_EARLY_ANSWER));
    await expect(run(a.session.setAnswer(ASTERISK_OPUS_ANSWER))).rejects.toBeInstanceOf(MediaStateError);
  });

  it('removes CN from the peer SDP and from our answer unless enabled', async () => {
    const a = side();
    await run(a.session.getOffer());
    await run(a.session.setAnswer(FREESWITCH_EARLY_ANSWER));
    expect(a.pc.remoteDescription?.sdp).not.toMatch(/CN\/8000/);
    const b = side({}, { comfortNoise: true });
    await run(b.session.getOffer());
    await run(b.session.setAnswer(FREESWITCH_EARLY_ANSWER));
    expect(b.pc.remoteDescription?.sdp).toMatch(/CN\/8000/);
  });

  it('explains an answer the browser refused', async () => {
    const a = side({ rejectRemoteDescription: () => new DOMException('no codec', 'OperationError') });
    await run(a.session.getOffer());
    const failure = run(a.session.setAnswer(GATEWAY_G729_GSM_SAVPF_OFFER));
    await expect(failure).rejects.toBeInstanceOf(MediaNegotiationError);
    await expect(failure).rejects.toMatchObject({
      explanation: expect.stringMatching(/^The other side answered with only G\.729 and GSM/),
    });
  });
});

describe('RFC 3264 §8.4 hold and resume through re-offers', () => {
  it('holds with sendonly, commits on the answer, and the peer reads itself held', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const holdOffer = await run(a.session.hold());
    expect(audioDirection(holdOffer)).toBe('sendonly');
    expect(a.session.holdState).toEqual({ local: false, remote: false, pending: true });

    const answer = await run(b.session.getAnswer(holdOffer));
    expect(audioDirection(answer)).toBe('recvonly');
    expect(b.session.holdState.remote).toBe(true);

    await run(a.session.setAnswer(answer));
    expect(a.session.holdState).toEqual({ local: true, remote: false, pending: undefined });
  });

  it('offers inactive when holding a peer that already holds us, and resumes with sendrecv', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    await run(a.session.setAnswer(await run(b.session.getAnswer(await run(a.session.hold())))));
    const bHold = await run(b.session.hold());
    expect(audioDirection(bHold)).toBe('inactive');
    const aAnswer = await run(a.session.getAnswer(bHold));
    expect(audioDirection(aAnswer)).toBe('inactive');
    await run(b.session.setAnswer(aAnswer));
    expect(b.session.holdState).toMatchObject({ local: true, remote: true });

    const resume = await run(a.session.resume());
    expect(audioDirection(resume)).toBe('sendrecv');
    const bAnswer = await run(b.session.getAnswer(resume));
    // B still holds A, so it answers sendonly (RFC 6337 §5.3).
    expect(audioDirection(bAnswer)).toBe('sendonly');
    await run(a.session.setAnswer(bAnswer));
    expect(a.session.holdState).toEqual({ local: false, remote: true, pending: undefined });
  });

  it('leaves the call exactly as it was when the hold re-INVITE fails (rollback)', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const holdChanges: unknown[] = [];
    a.session.on('holdChange', (state) => holdChanges.push(state));
    await run(a.session.hold());
    await run(a.session.rollback());
    expect(a.pc.signalingState).toBe('stable');
    expect(a.session.holdState).toEqual({ local: false, remote: false, pending: undefined });
    expect(holdChanges).toHaveLength(2);
    expect(audioDirection(await run(a.session.getOffer()))).toBe('sendrecv');
  });

  it('reads a PBX hold (a=sendonly re-INVITE) and answers recvonly', async () => {
    const a = side();
    await run(a.session.getOffer());
    await run(a.session.setAnswer(ASTERISK_OPUS_ANSWER));
    const holdOffer = ASTERISK_OPUS_ANSWER.replace('a=sendrecv', 'a=sendonly').replace(
      /^o=- (\d+) 3/m,
      'o=- $1 4',
    );
    const answer = await run(a.session.getAnswer(holdOffer));
    expect(audioDirection(answer)).toBe('recvonly');
    expect(a.session.holdState.remote).toBe(true);
  });

  it('refuses to start an offer while another is outstanding', async () => {
    const a = side();
    await run(a.session.getOffer());
    await expect(run(a.session.hold())).rejects.toBeInstanceOf(MediaStateError);
  });
});

describe('RFC 3264 §8.4 hold stops our media, not only the direction', () => {
  it('keeps the sendonly hold offer but sends no RTP while holding, and sends again once resumed', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    expect(a.pc.sendingRtp()).toEqual(['audio']);
    expect(b.pc.sendingRtp()).toEqual(['audio']);

    const hold = await run(a.session.hold());
    expect(audioDirection(hold)).toBe('sendonly');
    // Pending (RFC 3261 §14.1): nothing changes before the answer.
    expect(a.pc.sendingRtp()).toEqual(['audio']);
    await run(a.session.setAnswer(await run(b.session.getAnswer(hold))));
    expect(a.session.holdState).toMatchObject({ local: true, pending: undefined });
    // A browser sends its live microphone on a sendonly stream: the sender must carry no track.
    expect(a.pc.sendingRtp()).toEqual([]);
    expect(b.pc.sendingRtp()).toEqual([]);
    expect(a.session.localTracks.audio?.readyState).toBe('live');

    const resume = await run(a.session.resume());
    expect(audioDirection(resume)).toBe('sendrecv');
    await run(a.session.setAnswer(await run(b.session.getAnswer(resume))));
    expect(a.pc.sendingRtp()).toEqual(['audio']);
    expect(b.pc.sendingRtp()).toEqual(['audio']);
    expect(a.pc.transceivers[0]!.sender.track).toBe(a.session.localTracks.audio);
  });

  it('keeps sending when the hold re-INVITE fails (rollback)', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    await run(a.session.hold());
    await run(a.session.rollback());
    expect(a.pc.sendingRtp()).toEqual(['audio']);
  });

  it('stops the camera too in a video call, and answers a re-offer while holding as sendonly', async () => {
    const a = side();
    const b = side();
    await connect(a, b, true);
    await run(a.session.setAnswer(await run(b.session.getAnswer(await run(a.session.hold())))));
    expect(a.pc.sendingRtp()).toEqual([]);
    // The peer refreshes the session with an offer while we hold it.
    const refresh = await run(b.session.getOffer());
    const answer = await run(a.session.getAnswer(refresh));
    expect(readRemoteDirections(answer).map((l) => l.direction)).toEqual(['sendonly', 'sendonly']);
    await run(b.session.setAnswer(answer));
    expect(a.pc.sendingRtp()).toEqual([]);
    const resume = await run(a.session.resume());
    await run(a.session.setAnswer(await run(b.session.getAnswer(resume))));
    expect(a.pc.sendingRtp().sort()).toEqual(['audio', 'video']);
  });
});

describe('what the peer receives: transceivers (RFC 8829 §5.10) and streams (a=msid)', () => {
  it("the answerer sends its microphone on the offer's audio stream, not on a transceiver of its own", async () => {
    const a = side();
    const b = side();
    const offer = await run(a.session.getOffer());
    const answer = await run(b.session.getAnswer(offer));
    expect(audioDirection(answer)).toBe('sendrecv');
    expect(b.pc.transceivers).toHaveLength(1);
    expect(b.pc.transceivers[0]!.mid).toBe('0');
    expect(b.pc.transceivers[0]!.sender.track).toBe(b.session.localTracks.audio);
    await run(a.session.setAnswer(answer));
    expect(b.pc.sendingRtp()).toEqual(['audio']);
    expect(a.pc.sendingRtp()).toEqual(['audio']);
  });

  it('answers a PBX offer (no msid) sending, and a later re-offer keeps one audio m-line', async () => {
    const b = side();
    const answer = await run(b.session.getAnswer(ASTERISK_G711_OFFER));
    expect(audioDirection(answer)).toBe('sendrecv');
    const reoffer = await run(b.session.hold());
    expect(parse(reoffer).media.map((m) => m.type)).toEqual(['audio']);
  });

  it('names a local stream in a=msid on both sides, so the peer gets a stream to play', async () => {
    const a = side();
    const b = side();
    const offer = await run(a.session.getOffer({ video: true }));
    const answer = await run(b.session.getAnswer(offer, { video: true }));
    for (const sdp of [offer, answer]) {
      const ids = parse(sdp).media.flatMap((m) => (m.msid ?? []).map((msid) => String(msid.id)));
      expect(ids).toHaveLength(2);
      expect(ids[0]).not.toBe('-');
      expect(ids[1]).toBe(ids[0]);
    }
  });

  it('collects every remote track in one stream per call, even when the SDP names no stream', async () => {
    const a = side();
    const b = side();
    const streams: unknown[] = [];
    b.session.on('remoteTrack', (_track, stream) => streams.push(stream));
    // A PBX or gateway that writes no msid at all: the browser's track event has streams [].
    const offer = (await run(a.session.getOffer({ video: true }))).replace(/^a=msid:.*\r\n/gm, '');
    await run(b.session.getAnswer(offer, { video: true }));
    const remote = b.session.remoteStream;
    expect(remote).toBeDefined();
    expect(streams).toEqual([remote, remote]);
    expect(
      remote!
        .getTracks()
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['audio', 'video']);
  });

  it('keeps the first remote stream when a later track comes in another stream', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const first = a.session.remoteStream;
    const add = await run(b.session.addVideo());
    // The peer names a different stream for its video.
    const [head = '', video = ''] = add.split(/(?=^m=video)/m);
    const renamed = head + video.replace(/^a=msid:\S+/m, 'a=msid:other-stream');
    expect(renamed).toMatch(/^a=msid:other-stream /m);
    await run(b.session.setAnswer(await run(a.session.getAnswer(renamed))));
    expect(a.session.remoteStream).toBe(first);
    expect(
      first!
        .getTracks()
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['audio', 'video']);
  });
});

describe('getUserMedia errors in plain words', () => {
  it.each([
    ['NotAllowedError', 'permission-denied', /^Microphone access was denied/],
    ['NotFoundError', 'no-device', /^No microphone was found/],
    ['NotReadableError', 'device-busy', /another application/],
    ['OverconstrainedError', 'overconstrained', /not available/],
  ])('%s → %s', async (failWith, kind, message) => {
    const a = side({}, {}, { failWith });
    const failure = run(a.session.getOffer());
    await expect(failure).rejects.toBeInstanceOf(MediaAccessError);
    await expect(failure).rejects.toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('opens the devices before touching the peer offer, so a refusal leaves nothing half-done', async () => {
    const b = side({}, {}, { microphone: false });
    await expect(run(b.session.getAnswer(ASTERISK_G711_OFFER))).rejects.toMatchObject({ kind: 'no-device' });
    expect(b.pc.signalingState).toBe('stable');
    expect(b.pc.operations).toEqual([]);
  });

  it('names the camera when the camera fails', async () => {
    const a = side({}, {}, { camera: false });
    await expect(run(a.session.getOffer({ video: true }))).rejects.toMatchObject({
      kind: 'no-device',
      message: 'No camera was found. Plug one in, then try again.',
    });
  });
});

describe('codec preference', () => {
  it('uses setCodecPreferences where available: Opus first, CN dropped', async () => {
    const a = side();
    const offer = await run(a.session.getOffer());
    const prefs = a.pc.transceivers[0]!.codecPreferences!.map((c) => c.mimeType);
    expect(prefs.slice(0, 3)).toEqual(['audio/opus', 'audio/PCMU', 'audio/PCMA']);
    expect(prefs).not.toContain('audio/CN');
    expect(parse(offer).media[0]!.payloads).toBe('111 0 8 9 63 110 126');
  });

  it('reorders the SDP when setCodecPreferences is missing', async () => {
    const a = side({ supportsCodecPreferences: false }, { audioCodecs: ['PCMA', 'PCMU'] });
    const offer = await run(a.session.getOffer());
    const names = mediaCodecs(parse(offer).media[0]!).map((c) => c.name);
    expect(names.slice(0, 3)).toEqual(['PCMA', 'PCMU', 'opus']);
    expect(names).not.toContain('CN');
  });

  it('answers a G.711-only Asterisk offer with PCMU and its telephone-event', async () => {
    const b = side();
    const answer = await run(b.session.getAnswer(ASTERISK_G711_OFFER));
    expect(mediaCodecs(parse(answer).media[0]!).map((c) => `${c.name}/${c.payload}`)).toEqual([
      'PCMU/0',
      'PCMA/8',
      'telephone-event/101',
    ]);
  });

  it('explains an offer the browser refused', async () => {
    const b = side({ rejectRemoteDescription: () => new DOMException('no codec', 'OperationError') });
    await expect(run(b.session.getAnswer(GATEWAY_G729_GSM_SAVPF_OFFER))).rejects.toMatchObject({
      name: 'MediaNegotiationError',
      explanation: expect.stringMatching(/offered only G\.729 and GSM, which this browser cannot use/),
    });
    expect(b.session.explain(ASTERISK_G711_OFFER)).toBeUndefined();
  });
});

describe('mute and RFC 4733 DTMF', () => {
  it('mutes by disabling the track, without renegotiation', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const before = a.pc.operations.length;
    a.session.setMuted(true);
    expect(a.session.localTracks.audio?.enabled).toBe(false);
    expect(a.session.isMuted()).toBe(true);
    a.session.setMuted(false);
    expect(a.session.localTracks.audio?.enabled).toBe(true);
    expect(a.pc.operations.length).toBe(before);
  });

  it('sends DTMF through RTCDTMFSender when telephone-event was negotiated', async () => {
    const b = side();
    await run(b.session.getAnswer(ASTERISK_G711_OFFER));
    expect(b.session.canSendRfc4733).toBe(true);
    b.session.sendDtmf('1#', { durationMs: 10, gapMs: 10 });
    expect(b.pc.transceivers[0]!.sender.dtmf!.sent).toEqual([{ tones: '1#', duration: 40, gap: 30 }]);
  });

  it('reports RFC 4733 unavailable without telephone-event, so the glue uses SIP INFO', async () => {
    const b = side();
    await run(b.session.getAnswer(SESSION_SENDONLY_MEDIA_SENDRECV));
    expect(b.session.canSendRfc4733).toBe(false);
    expect(() => b.session.sendDtmf('5')).toThrow(MediaUnsupportedError);
    expect(() => b.session.sendDtmf('5x')).toThrow(MediaArgumentError);
  });
});

describe('video', () => {
  it('carries audio and video both ways in a video call', async () => {
    const a = side();
    const b = side();
    const aTracks: string[] = [];
    const bTracks: string[] = [];
    a.session.on('remoteTrack', (track) => aTracks.push(track.kind));
    b.session.on('remoteTrack', (track) => bTracks.push(track.kind));
    await connect(a, b, true);
    expect(bTracks.sort()).toEqual(['audio', 'video']);
    expect(aTracks.sort()).toEqual(['audio', 'video']);
    expect(readRemoteDirections(a.pc.localDescription!.sdp).map((l) => `${l.kind}:${l.direction}`)).toEqual([
      'audio:sendrecv',
      'video:sendrecv',
    ]);
  });

  it('refuses offered video with port 0 when asked, and receives it otherwise', async () => {
    const a = side();
    const offer = await run(a.session.getOffer({ video: true }));
    const refusing = side();
    const refused = parse(await run(refusing.session.getAnswer(offer, { video: false })));
    expect(refused.media.map((m) => m.port)).toEqual([9, 0]);
    const watching = side();
    const watched = await run(watching.session.getAnswer(offer));
    expect(readRemoteDirections(watched).map((l) => l.direction)).toEqual(['sendrecv', 'recvonly']);
    expect(watching.getUserMedia.calls).toEqual([{ audio: true, video: false }]);
  });

  it('adds video to an audio call with a re-offer and removes it with port 0', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const add = await run(a.session.addVideo());
    expect(parse(add).media.map((m) => `${m.type}:${m.port}`)).toEqual(['audio:9', 'video:9']);
    await run(a.session.setAnswer(await run(b.session.getAnswer(add))));
    const remove = await run(a.session.removeVideo());
    expect(parse(remove).media[1]!.port).toBe(0);
    expect(a.session.localTracks.video).toBeUndefined();
  });

  it('turns the camera off and on without renegotiating', async () => {
    const a = side();
    const b = side();
    await connect(a, b, true);
    const camera = a.session.localTracks.video as FakeMediaStreamTrack;
    const before = a.pc.operations.length;
    await run(a.session.setCameraEnabled(false));
    expect(camera.readyState).toBe('ended');
    expect(a.pc.transceivers[1]!.sender.track).toBeNull();
    await run(a.session.setCameraEnabled(true));
    expect(a.pc.transceivers[1]!.sender.track?.readyState).toBe('live');
    expect(a.pc.operations.length).toBe(before);
  });
});

describe('switching devices mid-call (W3C WebRTC §5.2 replaceTrack)', () => {
  it('puts the chosen microphone on the sender without renegotiating and stops the old one', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const old = a.session.localTracks.audio as FakeMediaStreamTrack;
    const operations = a.pc.operations.length;
    const switched = await run(a.session.switchDevices({ microphoneId: 'headset' }));
    const fresh = a.session.localTracks.audio!;
    expect(switched).toEqual([{ kind: 'audio', deviceId: 'headset', reason: 'selected', track: fresh }]);
    expect(a.getUserMedia.calls.at(-1)).toEqual({ audio: { deviceId: { exact: 'headset' } }, video: false });
    expect(a.pc.transceivers[0]!.sender.replaced.at(-1)).toBe(fresh);
    expect(a.pc.operations.length).toBe(operations);
    expect(a.pc.signalingState).toBe('stable');
    expect(old.readyState).toBe('ended');
    expect(a.session.localStream?.getTracks()).toEqual([fresh]);
    expect(a.pc.sendingRtp()).toEqual(['audio']);
    expect(a.session.devices).toEqual({ microphoneId: 'headset', cameraId: null });
  });

  it('shows the new camera in the local stream', async () => {
    const a = side();
    const b = side();
    await connect(a, b, true);
    const oldCamera = a.session.localTracks.video!;
    await run(a.session.switchDevices({ cameraId: 'usb-camera' }));
    const camera = a.session.localTracks.video!;
    expect(camera).not.toBe(oldCamera);
    expect(a.pc.transceivers[1]!.sender.track).toBe(camera);
    expect(a.session.localStream?.getTracks()).toContain(camera);
    expect(a.session.localStream?.getTracks()).not.toContain(oldCamera);
    expect(a.pc.sendingRtp().sort()).toEqual(['audio', 'video']);
  });

  it('keeps the microphone muted on the new device', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    a.session.setMuted(true);
    await run(a.session.switchDevices({ microphoneId: 'headset' }));
    expect(a.session.localTracks.audio?.enabled).toBe(false);
    a.session.setMuted(false);
    expect(a.session.localTracks.audio?.enabled).toBe(true);
  });

  it('sends nothing from the new device while holding, and sends it once resumed', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    await run(a.session.setAnswer(await run(b.session.getAnswer(await run(a.session.hold())))));
    await run(a.session.switchDevices({ microphoneId: 'headset' }));
    const fresh = a.session.localTracks.audio!;
    expect(a.pc.sendingRtp()).toEqual([]);
    expect(a.pc.transceivers[0]!.sender.track).toBeNull();
    await run(a.session.setAnswer(await run(b.session.getAnswer(await run(a.session.resume())))));
    expect(a.pc.transceivers[0]!.sender.track).toBe(fresh);
    expect(a.pc.sendingRtp()).toEqual(['audio']);
  });

  it('keeps the device in use and rejects with a typed error when the chosen one is unplugged', async () => {
    const a = side({}, {}, { unplugged: ['gone'] });
    const b = side();
    await connect(a, b);
    const old = a.session.localTracks.audio!;
    const error = await settle(a.session.switchDevices({ microphoneId: 'gone' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAccessError);
    expect((error as MediaAccessError).kind).toBe('overconstrained');
    expect(a.session.localTracks.audio).toBe(old);
    expect(old.readyState).toBe('live');
    expect(a.pc.sendingRtp()).toEqual(['audio']);
    expect(a.session.devices.microphoneId).toBeNull();
  });

  it('records the camera for later when no camera is open, and does not reopen the device in use', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const opened = a.getUserMedia.calls.length;
    expect(await run(a.session.switchDevices({ cameraId: 'usb-camera' }))).toEqual([]);
    expect(a.getUserMedia.calls.length).toBe(opened);
    await run(a.session.switchDevices({ microphoneId: 'headset' }));
    expect(await run(a.session.switchDevices({ microphoneId: 'headset', cameraId: 'usb-camera' }))).toEqual(
      [],
    );
    await run(a.session.addVideo());
    expect(a.getUserMedia.calls.at(-1)).toEqual({
      audio: false,
      video: { deviceId: { ideal: 'usb-camera' } },
    });
  });

  it('falls back to the default microphone when the one in use is unplugged, and says so', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    await run(a.session.switchDevices({ microphoneId: 'headset' }));
    const headset = a.session.localTracks.audio as FakeMediaStreamTrack;
    const events: unknown[] = [];
    a.session.on('localTrackEnded', (kind) => events.push(`ended:${kind}`));
    a.session.on('deviceSwitched', (change) => events.push(`${change.reason}:${String(change.deviceId)}`));
    const operations = a.pc.operations.length;
    headset.endFromDevice();
    await vi.advanceTimersByTimeAsync(10);
    expect(events).toEqual(['ended:audio', 'device-lost:null']);
    expect(a.getUserMedia.calls.at(-1)).toEqual({ audio: true, video: false });
    expect(a.pc.transceivers[0]!.sender.track).toBe(a.session.localTracks.audio);
    expect(a.pc.sendingRtp()).toEqual(['audio']);
    expect(a.pc.operations.length).toBe(operations);
    expect(a.session.devices.microphoneId).toBeNull();
  });

  it('reports when no device is left to fall back to', async () => {
    const devices: { microphone?: boolean } = {};
    const a = side({}, {}, devices);
    const b = side();
    await connect(a, b);
    const failures: string[] = [];
    a.session.on('deviceSwitchFailed', (kind, error) => failures.push(`${kind}:${(error as Error).name}`));
    devices.microphone = false;
    (a.session.localTracks.audio as FakeMediaStreamTrack).endFromDevice();
    await vi.advanceTimersByTimeAsync(10);
    expect(failures).toEqual(['audio:MediaAccessError']);
  });

  it('ignores the end of a track it replaced itself', async () => {
    const a = side();
    const b = side();
    await connect(a, b);
    const old = a.session.localTracks.audio as FakeMediaStreamTrack;
    await run(a.session.switchDevices({ microphoneId: 'headset' }));
    const switched: unknown[] = [];
    a.session.on('deviceSwitched', (change) => switched.push(change));
    old.endFromDevice();
    await vi.advanceTimersByTimeAsync(10);
    expect(switched).toEqual([]);
  });
});

describe('life cycle', () => {
  it('close() stops devices and the peer connection, and rejects queued and later work', async () => {
    const a = side({ operationDelayMs: 5 });
    const offer = a.session.getOffer();
    const queued = a.session.setAnswer(ASTERISK_OPUS_ANSWER);
    await vi.advanceTimersByTimeAsync(1);
    a.session.close();
    await expect(settle(queued)).rejects.toBeInstanceOf(MediaStateError);
    await expect(settle(offer)).rejects.toThrow();
    await expect(a.session.getOffer()).rejects.toBeInstanceOf(MediaStateError);
    expect(a.pc.signalingState).toBe('closed');
    expect(a.getUserMedia.tracks.every((t) => t.readyState === 'ended')).toBe(true);
    expect(() => a.session.sendDtmf('1')).toThrow(MediaStateError);
    a.session.close();
  });

  it('reports a device that went away and the connection state', async () => {
    const a = side();
    const b = side();
    const ended: string[] = [];
    const states: string[] = [];
    a.session.on('localTrackEnded', (kind) => ended.push(kind));
    a.session.on('connectionStateChange', (state) => states.push(state));
    await connect(a, b);
    await vi.advanceTimersByTimeAsync(10);
    (a.session.localTracks.audio as FakeMediaStreamTrack).endFromDevice();
    expect(ended).toEqual(['audio']);
    expect(states).toEqual(['connected']);
  });

  it('summarises getStats()', async () => {
    const a = side();
    a.pc.stats = [{ id: 'in', type: 'inbound-rtp', kind: 'audio', packetsReceived: 42 }];
    expect((await run(a.session.getStats())).audio.packetsReceived).toBe(42);
  });
});
