// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestPhone } from '../../../store/testing/test-phone';
import { renderWithPhone } from '../CallArea/test-support';
import { CallTimer, formatDuration } from './CallTimer';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:00'],
    [5_000, '0:05'],
    [65_000, '1:05'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
    [-5_000, '0:00'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('CallTimer', () => {
  it('ticks every second and stops at the end of the call', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(1_000_000);
    const { store } = createTestPhone();
    const { rerender } = renderWithPhone(<CallTimer since={1_000_000} />, store);
    const timer = screen.getByRole('timer', { name: 'Call duration' });
    act(() => vi.advanceTimersByTime(2_000));
    expect(timer.textContent).toBe('0:02');
    expect(timer.getAttribute('datetime')).toBe('PT2S');
    rerender(<CallTimer since={1_000_000} until={1_003_000} />);
    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.getByRole('timer').textContent).toBe('0:03');
  });
});
