// A loopback TCP proxy that can stop forwarding without closing anything: the way a NAT
// that dropped a flow, or a paused laptop, looks to the server. Bytes sent to a frozen
// connection are accepted by the proxy's kernel and never delivered.
import { connect, createServer, type Socket } from 'node:net';

export interface FreezableProxy {
  port: number;
  /** Stops forwarding in both directions on every connection; nothing is closed. */
  freeze(): void;
  close(): Promise<void>;
}

export async function startFreezableProxy(targetPort: number): Promise<FreezableProxy> {
  const pairs: [Socket, Socket][] = [];
  const server = createServer((downstream) => {
    const upstream = connect(targetPort, '127.0.0.1');
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const destroy = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', destroy);
    upstream.on('error', destroy);
    pairs.push([downstream, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('proxy not listening');
  return {
    port: address.port,
    freeze() {
      for (const [downstream, upstream] of pairs) {
        downstream.unpipe(upstream);
        upstream.unpipe(downstream);
        downstream.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const [downstream, upstream] of pairs) {
        downstream.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
