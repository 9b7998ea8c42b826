import { setTimeout as sleep } from 'node:timers/promises';
import { EventStreamReader, type StreamedEvent } from './event-stream-reader.js';

export interface EventStreamFollowerOptions {
  /** Where the stream is opened, every time: a balancer's origin (or a replica's). */
  origin: string;
  cookie: string;
  /** The wait before a reconnect when the API has sent no `retry:` hint yet (EventSource's default is about 3 s). */
  defaultRetryMs?: number;
}

/**
 * An event stream followed as the SPA's live client follows it: when the stream ends (its
 * replica shut down) or cannot be opened, it waits the `retry:` hint and opens it again
 * with `Last-Event-ID` = the last id it saw, for as long as it runs. `events` holds every
 * event of every connection in arrival order, so a gap or a repeat across a reconnect shows.
 */
export class EventStreamFollower {
  /** Connections opened after the first one. */
  reconnects = 0;
  /** Attempts to open the stream that failed (a refusal, a 502 or 503 while replicas change). */
  failedOpens = 0;
  private readonly past: StreamedEvent[] = [];
  private current: EventStreamReader | undefined;
  private stopped = false;
  private readonly following: Promise<void>;

  private constructor(
    private readonly options: EventStreamFollowerOptions,
    first: EventStreamReader,
  ) {
    this.current = first;
    this.following = this.follow(first);
  }

  /** Resolves once the first connection is open (its first bytes have arrived). */
  static async start(options: EventStreamFollowerOptions): Promise<EventStreamFollower> {
    return new EventStreamFollower(options, await EventStreamReader.open(options));
  }

  /** Every event received so far, across reconnects. */
  get events(): StreamedEvent[] {
    return [...this.past, ...(this.current?.events ?? [])];
  }

  /** The ids of the orders whose `order.created` arrived, in arrival order (repeats kept). */
  createdOrderIds(): string[] {
    return this.events.flatMap((event) => (event.type === 'order.created' && event.orderId ? [event.orderId] : []));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.current?.close();
    await this.following;
  }

  private async follow(first: EventStreamReader): Promise<void> {
    let reader: EventStreamReader | undefined = first;
    let lastEventId = first.lastEventId;
    let retryMs = first.retryMs ?? this.options.defaultRetryMs ?? 3_000;
    while (!this.stopped) {
      if (reader) {
        await reader.closed;
        await reader.close(); // its session: each connection opens its own
        this.past.push(...reader.events);
        this.current = undefined;
        lastEventId = reader.lastEventId ?? lastEventId;
        retryMs = reader.retryMs ?? retryMs;
        reader = undefined;
        if (this.stopped) return;
      }
      await sleep(retryMs);
      if (this.stopped) return;
      try {
        reader = await EventStreamReader.open({
          origin: this.options.origin,
          cookie: this.options.cookie,
          ...(lastEventId === undefined ? {} : { lastEventId }),
        });
        this.reconnects += 1;
        if (this.stopped) {
          await reader.close();
          this.past.push(...reader.events);
          return;
        }
        this.current = reader;
      } catch {
        this.failedOpens += 1;
      }
    }
  }
}
