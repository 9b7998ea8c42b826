import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that can make its peers vanish silently, as a NAT or a suspended
 * laptop does: `blackhole()` stops forwarding in both directions without closing or
 * resetting anything. TLS passes through untouched (it is end to end).
 */
export class BlackholeProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private constructor(private readonly server: Server) {}

  static async start(target: { host: string; port: number }): Promise<BlackholeProxy & { port: number }> {
    const server = createServer();
    const proxy = new BlackholeProxy(server);
    server.on('connection', (client) => {
      const upstream = createConnection(target);
      const pair: [Socket, Socket] = [client, upstream];
      proxy.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const forget = () => {
        proxy.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', forget);
      upstream.on('close', forget);
      client.on('error', forget);
      upstream.on('error', forget);
    });
    await new Promise<void>((resolve) => server.listen(0, target.host, resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
    return Object.assign(proxy, { port: address.port });
  }

  /** From now on nothing passes, and nobody is told. */
  blackhole(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }
}
