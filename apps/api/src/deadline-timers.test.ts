import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineTimers, type TimedDeadline } from './deadline-timers.js';

interface TestDeadline extends TimedDeadline {
  name: string;
}

/** A deadline `timeoutMs` from the fake clock's now. */
const deadlineIn = (name: string, timeoutMs: number): TestDeadline => ({
  name,
  expiresAt: Date.now() + timeoutMs,
  queue: undefined,
  queuePrev: undefined,
  queueNext: undefined,
});

describe('DeadlineTimers', () => {
  let expired: string[];
  let timers: DeadlineTimers<TestDeadline>;
  const add = (name: string, timeoutMs: number) => {
    const deadline = deadlineIn(name, timeoutMs);
    timers.add(deadline, timeoutMs);
    return deadline;
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    expired = [];
    timers = new DeadlineTimers<TestDeadline>(
      (deadline) => expired.push(deadline.name),
      () => Date.now(),
    );
  });

  afterEach(() => {
    timers.clear();
    vi.useRealTimers();
  });

  it('expires each deadline once, at its time and not before, in the order they expire', () => {
    add('a', 100);
    vi.advanceTimersByTime(30);
    add('b', 100);
    add('c', 50);
    vi.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['c']);
    vi.advanceTimersByTime(19);
    expect(expired).toEqual(['c']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['c', 'a']);
    vi.advanceTimersByTime(30);
    expect(expired).toEqual(['c', 'a', 'b']);
    vi.advanceTimersByTime(10_000);
    expect(expired).toEqual(['c', 'a', 'b']);
  });

  it('never expires a deadline that was removed, wherever it stood in its queue', () => {
    const first = add('first', 100);
    add('second', 100);
    const third = add('third', 100);
    add('fourth', 100);
    timers.remove(third);
    timers.remove(first);
    timers.remove(first); // removing twice is harmless
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['second', 'fourth']);
  });

  it('keeps one Node timer per timeout length, however many deadlines share it', () => {
    for (let i = 0; i < 1000; i++) add(`default-${i}`, 8000);
    add('short', 10);
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(10);
    expect(expired).toEqual(['short']);
    vi.advanceTimersByTime(8000);
    expect(expired).toHaveLength(1001);
    expect(timers.size).toBe(0);
  });

  it('needs no new timer for requests that answer before the next one arrives', () => {
    for (let i = 0; i < 100; i++) timers.remove(add(`quick-${i}`, 8000));
    expect(vi.getTimerCount()).toBe(1);
    add('late', 8000);
    vi.advanceTimersByTime(8000);
    expect(expired).toEqual(['late']);
    // Its queue left empty, the timer goes with it.
    vi.advanceTimersByTime(8000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets an expiry add and remove deadlines of its own queue', () => {
    let next: TestDeadline | undefined;
    timers = new DeadlineTimers<TestDeadline>(
      (deadline) => {
        expired.push(deadline.name);
        if (deadline.name === 'a') next = add('from-a', 100);
        if (deadline.name === 'b' && next) timers.remove(next);
      },
      () => Date.now(),
    );
    add('a', 100);
    vi.advanceTimersByTime(100);
    add('b', 50);
    vi.advanceTimersByTime(50);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(['a', 'b']);
  });

  it('clears every timer and forgets every deadline on clear()', () => {
    add('a', 100);
    add('b', 200);
    timers.clear();
    expect(vi.getTimerCount()).toBe(0);
    expect(timers.size).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([]);
  });
});
