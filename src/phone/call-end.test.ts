import { describe, expect, it } from 'vitest';
import { describeCallEnd, describeStatus, parseWarnings } from './call-end';

describe('RFC 3261 §20.43 Warning header values', () => {
  it('parses code, agent and quoted text, several per header', () => {
    expect(parseWarnings(['305 pbx.example.com "Incompatible media format", 399 gw "Say \\"hi\\""'])).toEqual(
      [
        { code: 305, agent: 'pbx.example.com', text: 'Incompatible media format' },
        { code: 399, agent: 'gw', text: 'Say "hi"' },
      ],
    );
  });

  it('skips what does not parse', () => {
    expect(parseWarnings(['garbage', '3050 x "y"', '305 x unquoted'])).toEqual([]);
  });
});

describe('call end in plain words', () => {
  const outgoing = { direction: 'outgoing' as const };

  it.each([
    [{ originator: 'remote', cause: 'busy', status: 486, reason: 'Busy Here' }, 'Busy'],
    [{ originator: 'remote', cause: 'rejected', status: 603, reason: 'Decline' }, 'Declined'],
    [
      { originator: 'remote', cause: 'not-found', status: 404, reason: 'Not Found' },
      'That number or address does not exist.',
    ],
    [
      { originator: 'remote', cause: 'unavailable', status: 480, reason: 'Temporarily Unavailable' },
      'Not available right now.',
    ],
    [
      { originator: 'remote', cause: 'rejected', status: 403, reason: 'Forbidden' },
      'The server does not allow this call.',
    ],
    [{ originator: 'system', cause: 'transport-error' }, 'The connection to the server was lost.'],
    [{ originator: 'system', cause: 'request-timeout', status: 408 }, 'Nobody answered in time.'],
  ] as const)('%j → %s', (end, reason) => {
    expect(describeCallEnd(end, outgoing).reason).toBe(reason);
  });

  it('uses the Q.850 cause of a Reason header when the status alone says little', () => {
    const info = describeCallEnd(
      {
        originator: 'remote',
        cause: 'rejected',
        status: 503,
        reason: 'Service Unavailable',
        reasons: [{ protocol: 'Q.850', cause: 34, text: undefined }],
      },
      outgoing,
    );
    expect(info.reason).toBe(
      'The service is unavailable right now. Try again later. No line is available right now. Try again later.',
    );
    expect(info.detail).toBe('503 Service Unavailable');
  });

  it('prefers the media explanation for a 488, and marks local media failures', () => {
    const end = {
      originator: 'local',
      cause: 'not-acceptable',
      status: 488,
      reason: 'Not Acceptable Here',
    } as const;
    expect(
      describeCallEnd(end, { ...outgoing, mediaExplanation: 'The other side offered only G.729.' }).reason,
    ).toBe('The other side offered only G.729.');
    expect(
      describeCallEnd(end, {
        ...outgoing,
        mediaExplanation: 'Microphone access was denied.',
        mediaFailed: true,
      }),
    ).toMatchObject({ cause: 'media-failed', reason: 'Microphone access was denied.' });
  });

  it('has words for every status class', () => {
    expect(describeStatus(302)).toMatch(/redirected/);
    expect(describeStatus(499)).toMatch(/refused/);
    expect(describeStatus(599)).toMatch(/server/);
    expect(describeStatus(699)).toMatch(/everywhere/);
  });
});
