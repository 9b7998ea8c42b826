import pg from 'pg';

/** Cancels the statement a PostgreSQL backend is running, by the backend's process id. */
export interface BackendCanceller {
  /** Opens the canceller's connection now, so the first cancel does not pay for it. */
  connect(): Promise<void>;
  /** `pg_cancel_backend(pid)`: true when the server signalled the backend. Never throws. */
  cancel(pid: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * `pg_cancel_backend` sent over one connection of its own, outside the pool. Not a pool
 * connection: cancels are needed most when slow statements hold every pooled connection,
 * and a cancel that queued behind them would arrive after the statement it was meant to
 * stop. One connection serves every cancel in turn (each takes well under a millisecond
 * on the server); a broken one is replaced on the next cancel.
 */
export function createBackendCanceller(url: string, onError?: (error: Error) => void): BackendCanceller {
  let connection: Promise<pg.Client> | undefined;

  const open = (): Promise<pg.Client> => {
    connection ??= (async () => {
      const client = new pg.Client({ connectionString: url, application_name: 'tandem-canceller' });
      client.on('error', (error) => {
        onError?.(error);
        connection = undefined;
      });
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };

  return {
    async connect() {
      await open();
    },
    async cancel(pid) {
      try {
        const client = await open();
        const { rows } = await client.query<{ cancelled: boolean }>('SELECT pg_cancel_backend($1) AS cancelled', [pid]);
        return rows[0]?.cancelled === true;
      } catch (error) {
        onError?.(error as Error);
        return false;
      }
    },
    async close() {
      const closing = connection;
      connection = undefined;
      if (closing) await (await closing.catch(() => undefined))?.end();
    },
  };
}
