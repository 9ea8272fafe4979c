import { describe, expect, it } from 'vitest';
import { write } from 'sdp-transform';
import { hasActiveVideo, planVideo, rejectMediaLine, rejectVideo, videoLines } from './video';
import {
  AUDIO_ONLY_ANSWER_TO_VIDEO,
  CHROME_AUDIO_OFFER,
  CHROME_AUDIO_VIDEO_OFFER,
} from './__fixtures__/sdp-fixtures';

describe('RFC 3264 §8.1 adding and §8.2 removing a video stream', () => {
  it.each([
    [
      'audio-only call, user turns the camera on',
      CHROME_AUDIO_OFFER,
      true,
      { action: 'add', reuseIndex: undefined },
    ],
    [
      'video was refused earlier: reuse its slot',
      AUDIO_ONLY_ANSWER_TO_VIDEO,
      true,
      { action: 'add', reuseIndex: 1 },
    ],
    ['video call, user keeps video', CHROME_AUDIO_VIDEO_OFFER, true, { action: 'none' }],
    ['video call, user drops video', CHROME_AUDIO_VIDEO_OFFER, false, { action: 'remove', index: 1 }],
    ['audio-only call stays audio-only', CHROME_AUDIO_OFFER, false, { action: 'none' }],
    ['no session yet, video wanted', undefined, true, { action: 'add', reuseIndex: undefined }],
  ] as const)('%s', (_label, current, want, plan) => {
    expect(planVideo(current, want)).toEqual(plan);
  });

  it('reads video lines and whether video is live', () => {
    expect(videoLines(AUDIO_ONLY_ANSWER_TO_VIDEO)).toEqual([
      { index: 1, mid: '1', port: 0, active: false, direction: 'inactive' },
    ]);
    expect(hasActiveVideo(AUDIO_ONLY_ANSWER_TO_VIDEO)).toBe(false);
    expect(hasActiveVideo(CHROME_AUDIO_VIDEO_OFFER)).toBe(true);
  });

  it('removes a stream with port zero, one format, and no BUNDLE membership', () => {
    const removed = rejectMediaLine(CHROME_AUDIO_VIDEO_OFFER, 1);
    const video = removed.media[1]!;
    expect(video).toMatchObject({ port: 0, payloads: '96', mid: '1', direction: 'inactive' });
    expect(video.rtp).toEqual([{ payload: 96, codec: 'VP8', rate: 90000 }]);
    expect(video.candidates).toBeUndefined();
    expect(removed.groups).toEqual([{ type: 'BUNDLE', mids: '0' }]);
    expect(write(removed)).toMatch(/^m=video 0 UDP\/TLS\/RTP\/SAVPF 96\r$/m);
    expect(removed.media[0]!.port).toBe(9);
  });

  it('rejects every video line of an offer, leaving audio', () => {
    const answered = rejectVideo(CHROME_AUDIO_VIDEO_OFFER);
    expect(answered.media.map((m) => m.port)).toEqual([9, 0]);
    expect(rejectMediaLine(CHROME_AUDIO_OFFER, 5).media).toHaveLength(1);
  });
});
