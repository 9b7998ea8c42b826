import { createServer, type Server } from 'node:net';

/**
 * Ports the OS reports free on `host` right now, all different: each is held open until
 * the last one is picked, then all are released for the servers to take.
 */
export async function freePorts(count: number, host = 'localhost'): Promise<number[]> {
  const held: Server[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const server = createServer();
      held.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, resolve);
      });
    }
    return held.map((server) => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) throw new Error('No port was assigned');
      return address.port;
    });
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
