import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorEnvelope, HeapSnapshotFileEnvelope } from '@tandem/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { useStartedApi } from '../../../test/api-server.js';
import type { TestRequest } from '../../../test/clients.js';

const TOKEN = 'heap-snapshot-test-token';
const dir = mkdtempSync(join(tmpdir(), 'tandem-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const take = (token: string | null = TOKEN): TestRequest => ({
  method: 'POST',
  path: '/api/v1/admin/heap-snapshot',
  headers: token === null ? {} : { authorization: `Bearer ${token}` },
});

/** What DevTools needs to load a snapshot: JSON with the layout of its nodes in snapshot.meta. */
function expectHeapSnapshot(path: string): void {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[] }; node_count: number };
    nodes: number[];
  };
  expect(snapshot.snapshot.meta.node_fields).toContain('self_size');
  expect(snapshot.snapshot.node_count).toBeGreaterThan(0);
  expect(snapshot.nodes.length).toBe(snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length);
}

/** V8 takes a snapshot of this whole test process (vitest, PGlite): seconds on a busy machine. */
const SNAPSHOT_TEST_MS = 90_000;

const snapshotsIn = () => readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot'));

describe('POST /api/v1/admin/heap-snapshot', () => {
  const started = useStartedApi({ env: { ADMIN_TOKEN: TOKEN, HEAP_SNAPSHOT_DIR: dir } });

  it('is 401 without the token or with a wrong one', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await started.client.request(take(token));
      expect(res.status, res.text).toBe(401);
      expect(ErrorEnvelope.parse(res.json()).data.error).toBe('UNAUTHORIZED');
    }
    expect(snapshotsIn()).toEqual([]);
  });

  it(
    'writes a heap snapshot into HEAP_SNAPSHOT_DIR and answers its path and size',
    async () => {
      const res = await started.client.request(take());
      expect(res.status, res.text).toBe(200);
      const file = HeapSnapshotFileEnvelope.parse(res.json()).data;
      expect(file.path.startsWith(dir)).toBe(true);
      expect(file.path).toMatch(/\.heapsnapshot$/);
      expect(statSync(file.path).size).toBe(file.sizeBytes);
      expectHeapSnapshot(file.path);
    },
    SNAPSHOT_TEST_MS,
  );

  it(
    'answers 409 while another snapshot is being written',
    async () => {
      const first = started.api.app.heapSnapshots.write();
      const res = await started.client.request(take());
      expect(res.status, res.text).toBe(409);
      expect(ErrorEnvelope.parse(res.json()).data.error).toBe('HEAP_SNAPSHOT_IN_PROGRESS');
      expectHeapSnapshot((await first).path);
    },
    SNAPSHOT_TEST_MS,
  );

  it(
    'writes one on SIGUSR2',
    async () => {
      // A listener must be there: without one, SIGUSR2 would end this test process.
      expect(process.listenerCount('SIGUSR2')).toBeGreaterThan(0);
      const before = new Set(snapshotsIn());
      process.kill(process.pid, 'SIGUSR2');
      const deadline = Date.now() + SNAPSHOT_TEST_MS - 5000;
      let added: string[] = [];
      while (added.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        added = snapshotsIn().filter((name) => !before.has(name));
      }
      expect(added).toHaveLength(1);
      expectHeapSnapshot(join(dir, added[0] ?? ''));
    },
    SNAPSHOT_TEST_MS,
  );
});

describe('without ADMIN_TOKEN', () => {
  const started = useStartedApi({ env: { HEAP_SNAPSHOT_DIR: dir } });

  it('is 403 ADMIN_DISABLED, whatever the token', async () => {
    const res = await started.client.request(take());
    expect(res.status, res.text).toBe(403);
    expect(ErrorEnvelope.parse(res.json()).data.error).toBe('ADMIN_DISABLED');
  });
});

describe('closing the app', () => {
  it('removes its SIGUSR2 listener', async () => {
    const { startApi } = await import('../../../test/api-server.js');
    const before = process.listenerCount('SIGUSR2');
    const api = await startApi({ env: { HEAP_SNAPSHOT_DIR: dir } });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    await api.close();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
