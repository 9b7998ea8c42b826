import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through in front of the API, so a test can cut the network under the
 * browser: TLS and ALPN are end to end (the browser still speaks h2 to the API), but
 * every connection runs through here. A small control server on another port takes
 * `POST /down` (destroy every connection and refuse new ones, as a dropped network does)
 * and `POST /up`.
 */
export class DropProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private readonly proxy: Server;
  private readonly control: HttpServer;

  private constructor(host: string, target: number) {
    this.proxy = createServer((client) => {
      if (this.down) return void client.destroy();
      const upstream = createConnection({ host, port: target });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.control = createHttpServer((request, response) => {
      if (request.method === 'POST' && (request.url === '/down' || request.url === '/up')) {
        this.down = request.url === '/down';
        if (this.down) for (const socket of this.sockets) socket.destroy();
        response.writeHead(204).end();
      } else {
        response.writeHead(404).end();
      }
    });
  }

  /** Listens on `port` (proxy) and `controlPort` (control), forwarding to `host:target`. */
  static async start(host: string, port: number, target: number, controlPort: number): Promise<DropProxy> {
    const proxy = new DropProxy(host, target);
    await new Promise<void>((resolve) => proxy.proxy.listen(port, host, resolve));
    await new Promise<void>((resolve) => proxy.control.listen(controlPort, host, resolve));
    return proxy;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([
      new Promise((resolve) => this.proxy.close(resolve)),
      new Promise((resolve) => this.control.close(resolve)),
    ]);
  }
}
