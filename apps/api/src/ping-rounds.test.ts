import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PingRounds } from './ping-rounds.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A peer that answers its pings or stays silent, as the test says. */
function peers(silent: Set<string>) {
  const ended: string[] = [];
  const pinged: string[] = [];
  const rounds = new PingRounds<string>(
    () => ['alive', 'silent'],
    (peer, answered) => {
      pinged.push(peer);
      if (!silent.has(peer)) setTimeout(answered, 10);
    },
    (peer) => ended.push(peer),
  );
  return { rounds, ended, pinged };
}

describe('PingRounds', () => {
  it('ends only the peers that miss the deadline, one interval + one deadline after they go silent', () => {
    const { rounds, ended, pinged } = peers(new Set(['silent']));
    rounds.start(1_000, 500);
    vi.advanceTimersByTime(1_499);
    expect(pinged).toEqual(['alive', 'silent']);
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ended).toEqual(['silent']);
    rounds.stop();
  });

  it('stops pinging and forgets pending deadlines on stop (the naive setting)', () => {
    const { rounds, ended, pinged } = peers(new Set(['silent']));
    rounds.start(1_000, 500);
    vi.advanceTimersByTime(1_200);
    rounds.stop();
    vi.advanceTimersByTime(10_000);
    expect(pinged).toEqual(['alive', 'silent']);
    expect(ended).toEqual([]);
  });

  it('restarts with new timings', () => {
    const { rounds, pinged } = peers(new Set());
    rounds.start(1_000, 500);
    rounds.start(100, 50);
    vi.advanceTimersByTime(250);
    expect(pinged).toEqual(['alive', 'silent', 'alive', 'silent']);
    rounds.stop();
  });
});
