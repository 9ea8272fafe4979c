import { describe, expect, it } from 'vitest';
import {
  createFakeGetUserMedia,
  createFakePeerConnectionFactory,
  fakeCapabilities,
  type FakePeerConnection,
} from '../media/fake-peer-connection';
import { MediaSession } from '../media/media-session';
import { SessionDescriptionAdapter } from './session-description-adapter';
import { settled as settledOn, useFakeMediaTimers } from './testing/media-timers';

useFakeMediaTimers();

/** No SIP here: only the media timers move. */
const noSipClock = { advance: () => {} };

/** Runs `work` while the fake peer connection's gathering timers fire. */
const settled = <T>(work: Promise<T>): Promise<T> => settledOn(noSipClock, work, 50);

function side(options: { early?: () => boolean; video?: boolean } = {}) {
  const factory = createFakePeerConnectionFactory();
  const media = new MediaSession({
    createPeerConnection: factory.create,
    getUserMedia: createFakeGetUserMedia(),
    getCapabilities: fakeCapabilities,
  });
  const errors: unknown[] = [];
  const adapter = new SessionDescriptionAdapter(media, {
    isEarly: options.early ?? (() => false),
    video: () => options.video,
    onMediaError: (error) => errors.push(error),
  });
  return { media, adapter, errors, pc: (): FakePeerConnection => factory.instances[0]! };
}

describe('the SessionDescriptionHandler port over a MediaSession (RFC 3264)', () => {
  it('applies an answer from a 183 as provisional and makes it final when the call is confirmed (RFC 3960)', async () => {
    let early = true;
    const a = side({ early: () => early });
    const b = side();
    const offer = await settled(a.adapter.getOffer({ hold: false }));
    const answer = await settled(b.adapter.getAnswer(offer, { hold: false }));
    await settled(a.adapter.setAnswer(answer));
    expect(a.pc().signalingState).toBe('have-remote-pranswer');
    early = false;
    await settled(a.adapter.confirmEarlyAnswer());
    expect(a.pc().signalingState).toBe('stable');
    expect(a.pc().remoteDescription?.type).toBe('answer');
  });

  it('applies the answer of a 2xx as final at once', async () => {
    const a = side();
    const b = side();
    const offer = await settled(a.adapter.getOffer({ hold: false }));
    await settled(a.adapter.setAnswer(await settled(b.adapter.getAnswer(offer, { hold: false }))));
    expect(a.pc().signalingState).toBe('stable');
    await a.adapter.confirmEarlyAnswer();
    expect(a.pc().operations.filter((o) => o === 'setRemoteDescription:start')).toHaveLength(1);
  });

  it('maps { hold } to the media layer’s hold and resume re-offers (RFC 3264 §8.4)', async () => {
    const a = side();
    const b = side();
    const exchange = async (hold: boolean) => {
      const offer = await settled(a.adapter.getOffer({ hold }));
      await settled(a.adapter.setAnswer(await settled(b.adapter.getAnswer(offer, { hold: false }))));
      return offer;
    };
    expect(await exchange(false)).toMatch(/a=sendrecv/);
    expect(await exchange(true)).toMatch(/a=sendonly/);
    expect(a.media.holdState.local).toBe(true);
    expect(b.media.holdState.remote).toBe(true);
    // A refresh while held keeps the hold.
    expect(await exchange(true)).toMatch(/a=sendonly/);
    expect(await exchange(false)).toMatch(/a=sendrecv/);
    expect(a.media.holdState.local).toBe(false);
  });

  it('offers video only in the first offer when asked', async () => {
    const a = side({ video: true });
    const offer = await settled(a.adapter.getOffer({ hold: false }));
    expect(offer).toMatch(/^m=video /m);
  });

  it('rolls a withdrawn offer back and reports media failures before rejecting', async () => {
    const a = side();
    await settled(a.adapter.getOffer({ hold: false }));
    await a.adapter.rollback();
    expect(a.pc().signalingState).toBe('stable');
    await expect(a.adapter.setAnswer('v=0\r\n')).rejects.toThrow(/needs an offer of ours/);
    expect(a.errors).toHaveLength(1);
    a.adapter.close();
    expect(a.media.closed).toBe(true);
    await expect(a.adapter.rollback()).resolves.toBeUndefined();
  });
});
