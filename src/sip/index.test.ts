import { describe, expect, it } from 'vitest';
import * as core from './index';

describe('the SIP core entry', () => {
  it('exports the message model but not its internal accessor registry', () => {
    expect(typeof core.SipHeaders).toBe('function');
    expect(typeof core.createRequest).toBe('function');
    expect(typeof core.createResponse).toBe('function');
    expect('cacheSlot' in core).toBe(false);
  });
});
