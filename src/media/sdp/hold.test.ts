import { describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import {
  answerDirection,
  applyHoldToOffer,
  applyResumeToOffer,
  effectiveDirection,
  holdDirection,
  isHeldByRemote,
  offerDirection,
  readRemoteDirections,
  reverseDirection,
  rewriteDirection,
} from './hold';
import type { Direction } from './hold';
import {
  ASTERISK_HOLD_REOFFER,
  ASTERISK_OPUS_ANSWER,
  CHROME_AUDIO_OFFER,
  CHROME_AUDIO_VIDEO_OFFER,
  FREESWITCH_SESSION_SENDONLY,
  SESSION_INACTIVE,
  SESSION_SENDONLY_MEDIA_SENDRECV,
  AUDIO_ONLY_ANSWER_TO_VIDEO,
} from './__fixtures__/sdp-fixtures';

describe('RFC 3264 §8.4 putting a unicast media stream on hold', () => {
  it.each<[Direction, Direction]>([
    ['sendrecv', 'sendonly'],
    ['recvonly', 'inactive'],
    ['sendonly', 'sendonly'],
    ['inactive', 'inactive'],
  ])('a %s stream is held by marking it %s', (current, held) => {
    expect(holdDirection(current)).toBe(held);
  });

  it.each([
    [{ localHold: false, remoteHold: false }, 'sendrecv'],
    [{ localHold: true, remoteHold: false }, 'sendonly'],
    [{ localHold: true, remoteHold: true }, 'inactive'],
    [{ localHold: false, remoteHold: true }, 'sendrecv'],
  ] as const)('offers %o as %s', (intent, expected) => {
    expect(offerDirection(intent)).toBe(expected);
  });

  it('marks every audio and video line of a Chrome offer sendonly', () => {
    const held = applyHoldToOffer(CHROME_AUDIO_VIDEO_OFFER, false);
    expect(held.media.map((m) => m.direction)).toEqual(['sendonly', 'sendonly']);
  });

  it('marks the offer inactive when the peer already holds us', () => {
    const held = applyHoldToOffer(CHROME_AUDIO_OFFER, true);
    expect(held.media[0]?.direction).toBe('inactive');
  });

  it('turns a recvonly line (no local track) inactive rather than sendonly', () => {
    const recvonly = rewriteDirection(CHROME_AUDIO_VIDEO_OFFER, (current, media) =>
      media.type === 'video' ? 'recvonly' : current,
    );
    const held = applyHoldToOffer(recvonly, false);
    expect(held.media.map((m) => m.direction)).toEqual(['sendonly', 'inactive']);
  });

  it('resumes to sendrecv, and keeps a line without a local track recvonly', () => {
    const held = applyHoldToOffer(CHROME_AUDIO_OFFER, false);
    expect(applyResumeToOffer(held).media[0]?.direction).toBe('sendrecv');
    const inactive = rewriteDirection(CHROME_AUDIO_OFFER, 'inactive');
    expect(applyResumeToOffer(inactive).media[0]?.direction).toBe('recvonly');
  });

  it('does not mutate its input and leaves rejected (port 0) lines alone', () => {
    const input = parse(AUDIO_ONLY_ANSWER_TO_VIDEO);
    const before = structuredClone(input);
    const held = applyHoldToOffer(input, false);
    expect(input).toEqual(before);
    expect(held.media[1]?.direction).toBe('inactive');
    expect(held.media[1]?.port).toBe(0);
  });

  it('moves a session-level direction into the m-lines before rewriting', () => {
    const held = rewriteDirection(FREESWITCH_SESSION_SENDONLY, 'sendrecv', { kinds: ['video'] });
    expect(held.direction).toBeUndefined();
    expect(held.media[0]?.direction).toBe('sendonly');
  });
});

describe('RFC 3264 §6.1 answer directions', () => {
  it.each<[Direction, boolean, Direction]>([
    ['sendrecv', false, 'sendrecv'],
    ['sendonly', false, 'recvonly'],
    ['recvonly', false, 'sendonly'],
    ['inactive', false, 'inactive'],
    ['sendrecv', true, 'sendonly'],
    ['sendonly', true, 'inactive'],
    ['recvonly', true, 'sendonly'],
    ['inactive', true, 'inactive'],
  ])('answers an offered %s (local hold %s) with %s', (offered, localHold, expected) => {
    expect(answerDirection(offered, localHold)).toBe(expected);
  });

  it.each<[Direction, Direction]>([
    ['sendrecv', 'sendrecv'],
    ['sendonly', 'recvonly'],
    ['recvonly', 'sendonly'],
    ['inactive', 'inactive'],
  ])('reverses %s into %s', (direction, reversed) => {
    expect(reverseDirection(direction)).toBe(reversed);
  });
});

describe('RFC 4566 §6 session-level and media-level direction', () => {
  it('defaults to sendrecv when no direction is present', () => {
    const description = parse(CHROME_AUDIO_OFFER);
    delete description.media[0]!.direction;
    expect(effectiveDirection(description, description.media[0]!)).toBe('sendrecv');
  });

  it('lets a media-level direction override the session level', () => {
    expect(readRemoteDirections(SESSION_SENDONLY_MEDIA_SENDRECV).map((s) => s.direction)).toEqual([
      'sendrecv',
      'sendonly',
    ]);
  });
});

describe('RFC 6337 §5.3 reading the peer hold', () => {
  it.each([
    ['Asterisk a=sendonly re-INVITE', ASTERISK_HOLD_REOFFER, undefined, true],
    ['FreeSWITCH session-level a=sendonly', FREESWITCH_SESSION_SENDONLY, undefined, true],
    ['session-level a=inactive', SESSION_INACTIVE, undefined, true],
    ['a sendrecv answer', ASTERISK_OPUS_ANSWER, undefined, false],
    ['an inactive answer to our own sendonly hold', SESSION_INACTIVE, 'sendonly', true],
    ['an inactive answer to our own inactive hold', SESSION_INACTIVE, 'inactive', undefined],
  ] as const)('%s → held %s', (_label, sdp, ourOffered, expected) => {
    expect(isHeldByRemote(sdp, ourOffered)).toBe(expected);
  });

  it('reads recvonly as the peer receiving without sending (our own hold answered)', () => {
    const recvonly = rewriteDirection(ASTERISK_OPUS_ANSWER, 'recvonly');
    const [audio] = readRemoteDirections(recvonly);
    expect(audio).toMatchObject({ kind: 'audio', mid: '0', peerSends: false, peerReceives: true });
    expect(isHeldByRemote(recvonly)).toBe(false);
  });

  it('ignores rejected lines and reports them', () => {
    const states = readRemoteDirections(AUDIO_ONLY_ANSWER_TO_VIDEO);
    expect(states.map((s) => s.rejected)).toEqual([false, true]);
  });
});
