import { describe, expect, it } from 'vitest';
import { parse } from 'sdp-transform';
import { compareDescriptions, isSameDescription, normaliseSdp } from './sdp-compare';
import {
  ASTERISK_HOLD_REOFFER,
  ASTERISK_OPUS_ANSWER,
  FREESWITCH_EARLY_ANSWER,
} from './__fixtures__/sdp-fixtures';

const bumpVersion = (text: string): string =>
  text.replace(/^(o=\S+ \S+ )(\d+)/m, (_m, head: string, v: string) => `${head}${Number(v) + 1}`);

describe('RFC 3264 §8 the o= version tells a repeated SDP from a new one', () => {
  it.each([
    ['the same FreeSWITCH answer in 183 and 200', FREESWITCH_EARLY_ANSWER, FREESWITCH_EARLY_ANSWER, 'origin'],
    [
      'the same answer with LF line ends',
      FREESWITCH_EARLY_ANSWER,
      FREESWITCH_EARLY_ANSWER.replace(/\r\n/g, '\n'),
      'origin',
    ],
    ['a version bumped with no change', ASTERISK_OPUS_ANSWER, bumpVersion(ASTERISK_OPUS_ANSWER), 'body'],
    ['a hold re-offer from the same session', ASTERISK_OPUS_ANSWER, ASTERISK_HOLD_REOFFER, 'different'],
    ['two different servers', ASTERISK_OPUS_ANSWER, FREESWITCH_EARLY_ANSWER, 'different'],
    ['a parsed object against its text', parse(FREESWITCH_EARLY_ANSWER), FREESWITCH_EARLY_ANSWER, 'origin'],
  ] as const)('%s → %s', (_label, a, b, basis) => {
    expect(compareDescriptions(a, b)).toBe(basis);
    expect(isSameDescription(a, b)).toBe(basis !== 'different');
  });

  it('keeps 19-digit Chrome session ids exact', () => {
    const a = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=x:1\r\n';
    const b = 'v=0\r\no=- 4611731400430051337 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=x:2\r\n';
    expect(isSameDescription(a, b)).toBe(false);
  });

  it('normalises line ends, trailing blanks and the o= line', () => {
    expect(normaliseSdp('v=0\r\no=a 1 1 IN IP4 x\r\ns=- \r\n\r\n')).toBe('v=0\ns=-');
  });
});
