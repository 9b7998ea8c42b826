import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { getHeapSnapshot } from 'node:v8';
import { endpoints, type HeapSnapshotFile } from '@tandem/contract';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { z } from 'zod';
import { contractRoute } from '../../contract-route.js';
import { AppError } from '../../errors.js';

type SnapshotFile = z.output<typeof HeapSnapshotFile>;

export interface HeapSnapshots {
  /** Writes one snapshot into the directory; AppError HEAP_SNAPSHOT_IN_PROGRESS while another is being written. */
  write(): Promise<SnapshotFile>;
  readonly dir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    heapSnapshots: HeapSnapshots;
  }
}

export interface HeapSnapshotsOptions {
  /** HEAP_SNAPSHOT_DIR (absolute), created on the first snapshot. */
  dir: string;
}

/** The signal Node leaves to applications (SIGUSR1 starts its inspector). */
const SIGNAL = 'SIGUSR2';

/**
 * Heap snapshots of the running API, on request: `kill -USR2 <pid>` or
 * POST /api/v1/admin/heap-snapshot (with ADMIN_TOKEN) writes
 * `<dir>/api-<time>-<pid>.heapsnapshot`, one at a time. V8 pauses the event loop
 * while it takes the snapshot (about a second per 100 MB of heap); the file is then
 * written as a stream (v8.getHeapSnapshot, not the synchronous v8.writeHeapSnapshot), so
 * a second request meanwhile gets a 409 instead of a second pause. It appears under its
 * name only once complete (written as `.part`, then renamed).
 */
const heapSnapshots: FastifyPluginAsync<HeapSnapshotsOptions> = async (app, { dir }) => {
  let writing = false;
  const write = async (): Promise<SnapshotFile> => {
    if (writing) throw new AppError('HEAP_SNAPSHOT_IN_PROGRESS');
    writing = true;
    const started = performance.now();
    try {
      await mkdir(dir, { recursive: true });
      const path = join(dir, `api-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.heapsnapshot`);
      await pipeline(getHeapSnapshot(), createWriteStream(`${path}.part`));
      await rename(`${path}.part`, path);
      const { size } = await stat(path);
      return { path, sizeBytes: size, durationMs: performance.now() - started };
    } finally {
      writing = false;
    }
  };
  app.decorate('heapSnapshots', { write, dir });

  const onSignal = () => {
    app.log.info({ signal: SIGNAL }, 'writing a heap snapshot');
    write().then(
      (file) => app.log.info(file, 'heap snapshot written'),
      (error: unknown) =>
        error instanceof AppError
          ? app.log.warn({ signal: SIGNAL }, error.message)
          : app.log.error({ err: error, signal: SIGNAL }, 'heap snapshot failed'),
    );
  };
  app.addHook('onReady', async () => {
    process.on(SIGNAL, onSignal);
    app.log.info({ pid: process.pid, dir }, `heap snapshots: kill -USR2 ${process.pid}`);
  });
  app.addHook('onClose', async () => {
    process.off(SIGNAL, onSignal);
  });

  app.route({
    ...contractRoute(endpoints.takeHeapSnapshot, async (request) => {
      const file = await write();
      request.log.info(file, 'heap snapshot written');
      return file;
    }),
    onRequest: app.adminGuard,
  });
};

export default fp(heapSnapshots, { name: 'heap-snapshots', dependencies: ['error-handler', 'admin-guard'] });
