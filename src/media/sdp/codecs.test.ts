import { describe, expect, it } from 'vitest';
import { parse, write } from 'sdp-transform';
import {
  DEFAULT_AUDIO_PREFERENCE,
  explainIncompatibility,
  findIncompatibilities,
  friendlyCodecName,
  listOfferedMedia,
  localCapabilitiesFrom,
  mediaCodecs,
  removeComfortNoise,
  reorderCodecs,
  sortCodecCapabilities,
} from './codecs';
import type { CodecCapabilityLike, LocalCapabilities } from './codecs';
import {
  ALL_REJECTED_ANSWER,
  ASTERISK_G711_OFFER,
  ASTERISK_OPUS_ANSWER,
  AUDIO_ONLY_ANSWER_TO_VIDEO,
  CHROME_AUDIO_OFFER,
  CHROME_AUDIO_VIDEO_OFFER,
  FREESWITCH_EARLY_ANSWER,
  GATEWAY_G729_GSM_SAVPF_OFFER,
  LEGACY_G729_RTP_AVP_OFFER,
  SDES_SRTP_OFFER,
  sdp,
} from './__fixtures__/sdp-fixtures';

const names = (input: string | ReturnType<typeof parse>, index = 0): string[] => {
  const description = typeof input === 'string' ? parse(input) : input;
  return mediaCodecs(description.media[index]!).map((codec) => `${codec.name}/${codec.clockRate}`);
};

const CHROME: LocalCapabilities = {
  audio: ['opus', 'red', 'G722', 'PCMU', 'PCMA'],
  video: ['VP8', 'VP9', 'H264'],
};

describe('RFC 3264 §5.1 codec preference order', () => {
  it.each([
    [
      'default preference keeps Opus first, G.711 next, drops CN',
      DEFAULT_AUDIO_PREFERENCE,
      false,
      [
        'opus/48000',
        'PCMU/8000',
        'PCMA/8000',
        'G722/8000',
        'red/48000',
        'telephone-event/48000',
        'telephone-event/8000',
      ],
    ],
    [
      'PCMA first for a European PBX',
      ['PCMA', 'PCMU'],
      false,
      [
        'PCMA/8000',
        'PCMU/8000',
        'opus/48000',
        'G722/8000',
        'red/48000',
        'telephone-event/48000',
        'telephone-event/8000',
      ],
    ],
    [
      'CN kept when comfort noise is enabled',
      ['opus'],
      true,
      [
        'opus/48000',
        'G722/8000',
        'PCMU/8000',
        'PCMA/8000',
        'red/48000',
        'telephone-event/48000',
        'telephone-event/8000',
        'CN/8000',
      ],
    ],
  ] as const)('%s', (_label, preference, comfortNoise, expected) => {
    expect(names(reorderCodecs(CHROME_AUDIO_OFFER, 'audio', { preference, comfortNoise }))).toEqual(expected);
  });

  it('drops unlisted codecs with their red, rtx and telephone-event when asked', () => {
    const trimmed = reorderCodecs(CHROME_AUDIO_OFFER, 'audio', { preference: ['PCMU'], dropUnlisted: true });
    expect(names(trimmed)).toEqual(['PCMU/8000', 'telephone-event/8000']);
    const media = trimmed.media[0]!;
    expect(media.payloads).toBe('0 126');
    expect(media.fmtp.map((f) => f.payload)).toEqual([]);
    expect(media.rtcpFb ?? []).toEqual([]);
  });

  it('keeps each rtx next to its video codec and drops rtx whose codec went away', () => {
    const reordered = reorderCodecs(CHROME_AUDIO_VIDEO_OFFER, 'video', { preference: ['H264', 'VP8'] });
    expect(reordered.media[1]!.payloads).toBe('102 103 96 97 98 99 116 117 118');
    const trimmed = reorderCodecs(CHROME_AUDIO_VIDEO_OFFER, 'video', {
      preference: ['VP8'],
      dropUnlisted: true,
    });
    expect(trimmed.media[1]!.payloads).toBe('96 97 116 117 118');
    expect(trimmed.media[1]!.fmtp.map((f) => f.payload)).toEqual([97, 117]);
    expect(trimmed.media[1]!.rtcpFb?.every((fb) => fb.payload === 96)).toBe(true);
  });

  it('leaves a line unchanged rather than emptying it', () => {
    const untouched = reorderCodecs(ASTERISK_G711_OFFER, 'audio', {
      preference: ['opus'],
      dropUnlisted: true,
    });
    expect(untouched.media[0]!.payloads).toBe('0 8 101');
  });

  it('only touches the requested kind and writes valid SDP', () => {
    const reordered = reorderCodecs(CHROME_AUDIO_VIDEO_OFFER, 'audio', { preference: ['PCMU'] });
    expect(reordered.media[1]!.payloads).toBe(parse(CHROME_AUDIO_VIDEO_OFFER).media[1]!.payloads);
    expect(write(reordered)).toMatch(/^m=audio 9 UDP\/TLS\/RTP\/SAVPF 0 111 8 126\r$/m);
  });

  it('removes CN offered by FreeSWITCH with PCMU', () => {
    const cleaned = removeComfortNoise(FREESWITCH_EARLY_ANSWER);
    expect(names(cleaned)).toEqual(['PCMU/8000', 'telephone-event/8000']);
    expect(write(cleaned)).not.toMatch(/CN\/8000/);
  });

  it('names static payload types without an rtpmap (RFC 3551 §6)', () => {
    const bare = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0 18');
    expect(names(bare)).toEqual(['PCMU/8000', 'G729/8000']);
  });
});

describe('WebRTC §5.4 setCodecPreferences ordering', () => {
  const capabilities: CodecCapabilityLike[] = [
    { mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
    { mimeType: 'audio/red', clockRate: 48000, channels: 2 },
    { mimeType: 'audio/G722', clockRate: 8000 },
    { mimeType: 'audio/PCMU', clockRate: 8000 },
    { mimeType: 'audio/PCMA', clockRate: 8000 },
    { mimeType: 'audio/CN', clockRate: 8000 },
    { mimeType: 'audio/telephone-event', clockRate: 48000 },
    { mimeType: 'audio/telephone-event', clockRate: 8000 },
  ];

  it.each([
    [['PCMA', 'opus'], false, ['PCMA', 'opus', 'G722', 'PCMU', 'red', 'telephone-event', 'telephone-event']],
    [
      ['opus', 'PCMU', 'PCMA'],
      true,
      ['opus', 'PCMU', 'PCMA', 'G722', 'red', 'telephone-event', 'telephone-event', 'CN'],
    ],
  ] as const)('orders %j (CN %s)', (preference, comfortNoise, expected) => {
    const sorted = sortCodecCapabilities(capabilities, { preference, comfortNoise });
    expect(sorted.map((c) => c.mimeType.split('/')[1])).toEqual(expected);
  });

  it('drops telephone-event at a clock rate no kept codec uses', () => {
    const sorted = sortCodecCapabilities(capabilities, { preference: ['PCMU'], dropUnlisted: true });
    expect(sorted.map((c) => `${c.mimeType}/${c.clockRate}`)).toEqual([
      'audio/PCMU/8000',
      'audio/red/48000',
      'audio/telephone-event/8000',
    ]);
  });

  it('derives local capabilities without helper payloads', () => {
    expect(localCapabilitiesFrom({ codecs: capabilities }, null)).toEqual({
      audio: ['opus', 'G722', 'PCMU', 'PCMA'],
      video: [],
    });
  });
});

describe('RFC 3261 §21.4.26 explaining 488 Not Acceptable Here', () => {
  it.each([
    ['Asterisk G.711 offer', ASTERISK_G711_OFFER, []],
    ['Asterisk Opus answer', ASTERISK_OPUS_ANSWER, []],
    ['FreeSWITCH PCMU answer', FREESWITCH_EARLY_ANSWER, []],
    ['audio-only answer to a video offer', AUDIO_ONLY_ANSWER_TO_VIDEO, []],
    ['gateway with G.729 and GSM only', GATEWAY_G729_GSM_SAVPF_OFFER, ['no-common-audio-codec']],
    [
      'desk phone with RTP/AVP G.729',
      LEGACY_G729_RTP_AVP_OFFER,
      ['unencrypted-rtp', 'no-ice', 'no-common-audio-codec'],
    ],
    ['SDES-SRTP endpoint', SDES_SRTP_OFFER, ['sdes-srtp', 'no-ice']],
    ['every stream rejected', ALL_REJECTED_ANSWER, ['all-rejected']],
  ] as const)('%s → %j', (_label, remote, codes) => {
    expect(findIncompatibilities(CHROME, remote).map((problem) => problem.code)).toEqual(codes);
  });

  it('says which codecs were offered and which the browser has', () => {
    expect(explainIncompatibility(CHROME, GATEWAY_G729_GSM_SAVPF_OFFER)).toBe(
      'The other side offered only G.729 and GSM, which this browser cannot use ' +
        '(it supports Opus, G.722, G.711 µ-law (PCMU) and G.711 A-law (PCMA)).',
    );
  });

  it('words an answer differently from an offer', () => {
    expect(
      explainIncompatibility({ audio: ['opus'], video: [] }, FREESWITCH_EARLY_ANSWER, { role: 'answer' }),
    ).toBe(
      'The other side answered with only G.711 µ-law (PCMU), which this browser cannot use (it supports Opus).',
    );
  });

  it('puts the transport first for a plain RTP desk phone', () => {
    expect(explainIncompatibility(CHROME, LEGACY_G729_RTP_AVP_OFFER)).toMatch(
      /^The other side offered unencrypted media \(RTP\/AVP\), but browsers only send encrypted media/,
    );
  });

  it('returns undefined when nothing is wrong', () => {
    expect(explainIncompatibility(CHROME, CHROME_AUDIO_OFFER)).toBeUndefined();
  });

  it('reports video only when video was all there was', () => {
    const videoOnly = parse(CHROME_AUDIO_VIDEO_OFFER);
    videoOnly.media.shift();
    expect(findIncompatibilities({ audio: ['opus'], video: ['AV1'] }, videoOnly).map((p) => p.code)).toEqual([
      'no-common-video-codec',
    ]);
    expect(findIncompatibilities({ audio: ['opus'], video: ['AV1'] }, CHROME_AUDIO_VIDEO_OFFER)).toEqual([]);
  });

  it('lists transport features per m-line', () => {
    expect(listOfferedMedia(SDES_SRTP_OFFER)[0]).toMatchObject({
      protocol: 'RTP/SAVP',
      sdes: true,
      dtls: false,
    });
    expect(friendlyCodecName('G729')).toBe('G.729');
  });
});
