import { describe, expect, it } from 'vitest';
import { write } from 'sdp-transform';
import {
  countCandidates,
  hasCandidates,
  hasEndOfCandidates,
  isMdnsCandidate,
  stripCandidates,
} from './candidates';
import {
  ALL_REJECTED_ANSWER,
  ASTERISK_OPUS_ANSWER,
  CHROME_AUDIO_OFFER,
  CHROME_AUDIO_VIDEO_OFFER,
  CHROME_OFFER_NO_CANDIDATES,
  FIREFOX_COMPLETE_OFFER,
  sdp,
} from './__fixtures__/sdp-fixtures';

describe('RFC 8839 §5.1 candidate attributes', () => {
  it.each([
    ['Chrome audio offer', CHROME_AUDIO_OFFER, { total: 3, host: 2, srflx: 1, relay: 0, perMedia: [3] }],
    ['Chrome bundled audio+video offer', CHROME_AUDIO_VIDEO_OFFER, { total: 2, host: 2, perMedia: [1, 1] }],
    ['offer before gathering', CHROME_OFFER_NO_CANDIDATES, { total: 0, perMedia: [0] }],
    ['Asterisk answer', ASTERISK_OPUS_ANSWER, { total: 1, host: 1 }],
  ] as const)('counts %s', (_label, input, expected) => {
    expect(countCandidates(input)).toMatchObject(expected);
  });

  it.each([
    ['Chrome offer', CHROME_AUDIO_OFFER, true],
    ['offer before gathering', CHROME_OFFER_NO_CANDIDATES, false],
    ['every line rejected', ALL_REJECTED_ANSWER, false],
  ] as const)('%s has candidates: %s', (_label, input, expected) => {
    expect(hasCandidates(input)).toBe(expected);
  });

  it('strips every candidate, or only those selected, without touching the input', () => {
    const onlyUdp = stripCandidates(CHROME_AUDIO_OFFER, (candidate) => candidate.transport === 'tcp');
    expect(countCandidates(onlyUdp).total).toBe(2);
    const none = stripCandidates(CHROME_AUDIO_OFFER);
    expect(hasCandidates(none)).toBe(false);
    expect(write(none)).not.toMatch(/a=candidate/);
    expect(countCandidates(CHROME_AUDIO_OFFER).total).toBe(3);
  });

  it('recognises mDNS host candidates', () => {
    const mdns = sdp(
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 0',
      'a=candidate:1 1 udp 2122260223 5f0e3b2a-1c4d-4e5f-8a9b-0c1d2e3f4a5b.local 54321 typ host',
      'a=candidate:2 1 udp 1686052607 203.0.113.7 54321 typ srflx raddr 0.0.0.0 rport 0',
    );
    const stripped = stripCandidates(mdns, isMdnsCandidate);
    expect(countCandidates(stripped)).toMatchObject({ total: 1, srflx: 1 });
  });
});

describe('RFC 8840 §4.1 end-of-candidates', () => {
  it.each([
    ['Firefox offer marks each line', FIREFOX_COMPLETE_OFFER, true],
    ['Asterisk answer marks its line', ASTERISK_OPUS_ANSWER, true],
    ['Chrome offer does not', CHROME_AUDIO_OFFER, false],
    ['all lines rejected', ALL_REJECTED_ANSWER, false],
  ] as const)('%s → %s', (_label, input, expected) => {
    expect(hasEndOfCandidates(input)).toBe(expected);
  });

  it('accepts the mark on the first line of a BUNDLE group only (RFC 8843 §7)', () => {
    const bundled = stripCandidates(FIREFOX_COMPLETE_OFFER);
    delete bundled.media[1]!.endOfCandidates;
    expect(hasEndOfCandidates(bundled)).toBe(true);
    delete bundled.media[0]!.endOfCandidates;
    bundled.media[1]!.endOfCandidates = 'end-of-candidates';
    expect(hasEndOfCandidates(bundled)).toBe(false);
  });
});
