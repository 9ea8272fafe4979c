import { describe, expect, it } from 'vitest';
import { hasTelephoneEvent, isValidDtmf, negotiatedTelephoneEvent, telephoneEvents } from './dtmf';
import { reorderCodecs } from './codecs';
import {
  ALL_REJECTED_ANSWER,
  ASTERISK_OPUS_ANSWER,
  CHROME_AUDIO_OFFER,
  FREESWITCH_EARLY_ANSWER,
  GATEWAY_G729_GSM_SAVPF_OFFER,
  SESSION_SENDONLY_MEDIA_SENDRECV,
} from './__fixtures__/sdp-fixtures';

describe('RFC 4733 §7.1 telephone-event negotiation', () => {
  it.each([
    ['Asterisk Opus answer', ASTERISK_OPUS_ANSWER, { payload: 126, clockRate: 8000, events: '0-16' }],
    ['FreeSWITCH PCMU answer', FREESWITCH_EARLY_ANSWER, { payload: 101, clockRate: 8000, events: '0-16' }],
    [
      'Chrome offer (Opus first → 48 kHz event first)',
      CHROME_AUDIO_OFFER,
      { payload: 110, clockRate: 48000, events: undefined },
    ],
    ['gateway offer', GATEWAY_G729_GSM_SAVPF_OFFER, { payload: 101, clockRate: 8000, events: undefined }],
    ['no telephone-event', SESSION_SENDONLY_MEDIA_SENDRECV, undefined],
    ['rejected audio', ALL_REJECTED_ANSWER, undefined],
  ] as const)('%s', (_label, sdp, expected) => {
    expect(negotiatedTelephoneEvent(sdp)).toEqual(expected);
    expect(hasTelephoneEvent(sdp)).toBe(expected !== undefined);
  });

  it('prefers the event clock rate of the chosen codec', () => {
    const pcmuFirst = reorderCodecs(CHROME_AUDIO_OFFER, 'audio', { preference: ['PCMU'] });
    expect(telephoneEvents(pcmuFirst).map((event) => event.clockRate)).toEqual([8000, 48000]);
  });

  it.each([
    ['123', true],
    ['*#ABCD,0', true],
    ['abcd', true],
    ['', false],
    ['12E', false],
    ['1 2', false],
  ])('accepts %j as DTMF: %s', (tones, valid) => {
    expect(isValidDtmf(tones)).toBe(valid);
  });
});
