import type { ClientHttp2Session, ClientHttp2Stream } from 'node:http2';
import { endpoints } from '@tandem/contract';
import { openH2Session } from './h2-request.js';

/** One event as the stream delivered it: its `id:` line, its type, and the order it names. */
export interface StreamedEvent {
  id: number | undefined;
  type: string;
  /** `order.created`: the new order's id. */
  orderId: string | undefined;
}

export interface EventStreamReaderOptions {
  /** A replica's own origin (or the balancer's). */
  origin: string;
  cookie: string;
  /** Sent as `Last-Event-ID`: resume after this id. */
  lastEventId?: number;
}

/**
 * An event stream (GET /api/v1/events) read as EventSource would: `events` in arrival
 * order, and `lastEventId`, the last `id:` line seen, which is what a browser sends back
 * as `Last-Event-ID` when it reconnects.
 */
export class EventStreamReader {
  readonly events: StreamedEvent[] = [];
  lastEventId: number | undefined;
  /** The last `retry:` hint: how long EventSource waits before it reconnects. */
  retryMs: number | undefined;
  /** Resolves when the stream has ended, whichever side ended it (a replica that shut down, `close()`). */
  readonly closed: Promise<void>;
  private buffer = '';

  private constructor(
    private readonly session: ClientHttp2Session,
    private readonly stream: ClientHttp2Stream,
  ) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.take(chunk));
    stream.on('error', () => {});
    this.closed = new Promise((resolve) => stream.once('close', () => resolve()));
  }

  /** Opens the stream and resolves once the API has answered it (its first bytes: `retry:` and the current id). */
  static async open(options: EventStreamReaderOptions): Promise<EventStreamReader> {
    const session = await openH2Session(options.origin);
    session.on('error', () => {});
    const stream = session.request({
      ':path': endpoints.orderEvents.path,
      cookie: options.cookie,
      accept: 'text/event-stream',
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': String(options.lastEventId) }),
    });
    const reader = new EventStreamReader(session, stream);
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('response', (headers) => {
          const status = Number(headers[':status']);
          if (status === 200) stream.once('data', () => resolve());
          else reject(new Error(`GET ${endpoints.orderEvents.path} on ${options.origin} → ${status}`));
        });
        stream.once('error', reject);
        stream.once('close', () =>
          reject(new Error(`GET ${endpoints.orderEvents.path} on ${options.origin}: closed unanswered`)),
        );
      });
    } catch (error) {
      session.destroy();
      throw error;
    }
    return reader;
  }

  /** The ids of the orders whose `order.created` arrived. */
  createdOrderIds(): string[] {
    return this.events.flatMap((event) => (event.type === 'order.created' && event.orderId ? [event.orderId] : []));
  }

  close(): Promise<void> {
    this.stream.close();
    if (this.session.closed || this.session.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.session.close(() => resolve()));
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.takeBlock(block);
    }
  }

  private takeBlock(block: string): void {
    let id: number | undefined;
    let type: string | undefined;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) id = Number(line.slice(3).trim());
      else if (line.startsWith('retry:')) this.retryMs = Number(line.slice(6).trim());
      else if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (id !== undefined && Number.isFinite(id)) this.lastEventId = id;
    if (type === undefined) return; // `retry:`, an id alone, a heartbeat comment
    this.events.push({ id, type, orderId: orderIdOf(type, data) });
  }
}

function orderIdOf(type: string, data: string): string | undefined {
  if (type !== 'order.created') return undefined;
  try {
    return (JSON.parse(data) as { order?: { id?: string } }).order?.id;
  } catch {
    return undefined;
  }
}
