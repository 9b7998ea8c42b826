import { describe, expect, it } from 'vitest';
import { expectWellFormed, figuresOf, runQuick } from '../quick-run.js';

describe('pnpm bench scale --quick (PostgreSQL, Redis, two replicas, two HAProxy processes, h2load; figures are not checked against targets)', () => {
  it('prints the orders list direct and through the balancer, and the event delay on both replicas, as finite figures', async () => {
    const { report, stdout } = await runQuick('scale');
    expectWellFormed(report, 'scale', 5);
    expect(report.table.rows.map((row) => [row[0], row[1]])).toEqual([
      ['orders list, direct to replica A', 1],
      ['orders list, HAProxy → A', 1],
      ['orders list, HAProxy → A, B', 2],
      ['events published on A, received on A (the publisher)', 2],
      ['events published on A, received on B (another replica)', 2],
    ]);
    const column = (name: string) => report.table.columns.indexOf(name);
    for (const [index, row] of report.table.rows.entries()) {
      const throughput = figuresOf(row[column('throughput')] ?? '');
      expect(throughput.length).toBeGreaterThan(0);
      for (const figure of throughput) {
        expect(Number.isFinite(figure)).toBe(true);
        expect(figure).toBeGreaterThan(0);
      }
      // A delay on loopback can round to 0 ms: finite and not negative, nothing more.
      const latencies = figuresOf(row[column('p50 / p99')] ?? '');
      expect(latencies).toHaveLength(2);
      for (const figure of latencies) {
        expect(Number.isFinite(figure)).toBe(true);
        expect(figure).toBeGreaterThanOrEqual(0);
      }
      const balancer = row[column('HAProxy CPU / request')];
      // Only the two balanced rows have a balancer in the path.
      if (index === 1 || index === 2) expect(figuresOf(balancer ?? '')).toHaveLength(1);
      else expect(balancer).toBe('—');
    }
    expect(stdout).toContain('command:     pnpm bench scale --quick');
  });
});
