import type { ClientHttp2Session } from 'node:http2';
import { endpoints } from '@tandem/contract';
import { h2Request, openH2Session } from '@tandem/local-stack';

/** Creates orders on chosen replicas, each through its own connection to that replica (not the balancer). */
export class OrderWriter {
  private constructor(
    private readonly sessions: ClientHttp2Session[],
    private readonly cookie: string,
  ) {}

  static async open(replicaOrigins: readonly string[], cookie: string): Promise<OrderWriter> {
    return new OrderWriter(await Promise.all(replicaOrigins.map((origin) => openH2Session(origin))), cookie);
  }

  /** Creates one order through replica `replica` (its index); answers the new order's id. */
  async create(replica: number, customer: string): Promise<string> {
    const session = this.sessions[replica];
    if (!session) throw new Error(`no replica ${replica}`);
    const answer = await h2Request(session, {
      method: 'POST',
      path: endpoints.createOrder.path,
      headers: { cookie: this.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ customer, items: [{ sku: 'SCALE-OUT', qty: 1, price: 1 }] }),
    });
    if (answer.status !== 201) {
      throw new Error(
        `POST ${endpoints.createOrder.path} on replica ${replica + 1} → ${answer.status}: ${answer.body}`,
      );
    }
    return (JSON.parse(answer.body.toString()) as { data: { id: string } }).data.id;
  }

  /**
   * `count` orders, through the replicas in turn (api1, api2, api3, api1, …) as a balancer
   * spreads them, `gapMs` apart; answers each order's id with the replica it went through.
   */
  async createInTurn(count: number, customer: string, gapMs: number): Promise<{ id: string; replica: number }[]> {
    const created: { id: string; replica: number }[] = [];
    for (let n = 0; n < count; n++) {
      const replica = n % this.sessions.length;
      created.push({ id: await this.create(replica, customer), replica });
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    return created;
  }

  close(): Promise<void> {
    return Promise.all(
      this.sessions.map((session) => new Promise<void>((resolve) => session.close(() => resolve()))),
    ).then(() => undefined);
  }
}

/** What the event measurements (missed-events.ts, reconnect-events.ts) are given. */
export interface EventMeasurementOptions {
  replicaOrigins: readonly string[];
  /** The session every stream and create is made with. */
  cookie: string;
  writer: OrderWriter;
  /** Orders created per phase, through the replicas in turn, `gapMs` apart. */
  orders: number;
  gapMs: number;
  /** The longest wait for the readers to have seen what they are going to see. */
  settleMs: number;
}
