import { describe, expect, it } from 'vitest';
import { createResponse } from '../src/sip/index';
import { chooseBestResponse } from './best-response';

const pick = (...statuses: number[]) =>
  chooseBestResponse(statuses.map((s) => createResponse(s, 'x')))?.status;

describe('RFC 3261 §16.7 step 6 choosing the best response', () => {
  it('MUST choose from the 6xx class if any exists', () => {
    expect(pick(486, 302, 603)).toBe(603);
  });

  it('SHOULD choose from the lowest response class otherwise', () => {
    expect(pick(500, 404, 302)).toBe(302);
    expect(pick(503, 486)).toBe(486);
  });

  it('prefers responses that affect resubmission (401, 407, 415, 420, 484) within 4xx', () => {
    expect(pick(404, 407)).toBe(407);
  });

  it('ranks a busy device above a branch that merely did not answer', () => {
    expect(pick(480, 408, 486, 487)).toBe(486);
  });

  it('keeps the earliest on a tie and gives nothing for no responses', () => {
    const first = createResponse(404, 'first');
    expect(chooseBestResponse([first, createResponse(403, 'second')])).toBe(first);
    expect(chooseBestResponse([])).toBeUndefined();
  });
});
