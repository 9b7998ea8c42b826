import type { LiveEvent } from '@tandem/contract';
import fp from 'fastify-plugin';
import type { LiveConfig } from '../../config.js';
import type { LiveEventType, TandemMetrics } from '../external/metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    liveEvents: LiveEventBus;
  }
}

/** An event as a publisher gives it: the bus assigns `seq`. Resets are per stream, never published. */
export type NewLiveEvent = LiveEvent extends infer E
  ? E extends { type: 'stream.reset' }
    ? never
    : E extends LiveEvent
      ? Omit<E, 'seq'>
      : never
  : never;

/** One published event, serialized once: `json` for WebSocket frames, `sse` for event streams. */
export interface PublishedEvent {
  readonly seq: number;
  readonly type: LiveEventType;
  readonly json: string;
  readonly sse: string;
  /** Whose order it is about: only that user (and whoever may read any order) receives it; null: everyone. */
  readonly owner: string | null;
}

/**
 * Who a stream or socket is for: a user's id (it receives the events of its own orders and
 * the public ones), or null for an account that may read every order (an admin).
 */
export type Viewer = string | null;

/** Whether `viewer` may receive an event about `owner`'s order. */
export function mayReceive(viewer: Viewer, owner: string | null): boolean {
  return viewer === null || owner === null || owner === viewer;
}

/**
 * What an SSE stream is to the bus: the HTTP/2 stream or the HTTP/1.1 response the text
 * is written to, nothing else (no wrapper object per stream: memory per open stream is
 * part of the benchmark).
 */
export interface SseOutput {
  write(chunk: string): boolean;
  readonly writableLength: number;
  end(): unknown;
  destroy(): unknown;
}

export type BatchListener = (batch: readonly PublishedEvent[]) => void;

/**
 * A stream whose unsent text passes this many bytes (checked before each write) is closed: its client is not reading
 * (gone, paused, or too slow). It reconnects with Last-Event-ID and resumes from the
 * replay window, so nothing is lost while the window still covers it.
 */
export const SSE_MAX_BUFFERED_BYTES = 512 * 1024;

const HEARTBEAT = ': hb\n\n';
const LAST_EVENT_ID = /^\d{1,15}$/;

export interface LiveEventBusOptions {
  replaySize: number;
  metrics: TandemMetrics;
  maxBufferedBytes?: number;
}

/**
 * The event bus behind `GET /api/v1/events` and the WebSocket. `publish` numbers each
 * event (`seq`, from 1, gapless), serializes it once into its final SSE text, keeps the
 * last `replaySize` for `Last-Event-ID` resume, and queues it. Once per turn of the event
 * loop the queued text is written as one string to every open stream (one write per
 * stream however many events were published) and handed to batch listeners (the
 * WebSocket). Nothing is serialized or allocated per subscriber.
 */
export class LiveEventBus {
  private lastSeq = 0;
  /** The last seq already written to the streams; a new stream's replay stops here. */
  private flushedSeq = 0;
  private readonly ring: string[];
  /** The owner of each event in the ring, slot for slot. */
  private readonly ringOwners: (string | null)[];
  /** The streams that see only their user's events, and whose; the others see every event. */
  private readonly viewers = new Map<SseOutput, string>();
  private pendingText = '';
  private pending: PublishedEvent[] = [];
  private flushImmediate: NodeJS.Immediate | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly streams = new Set<SseOutput>();
  private readonly listeners = new Set<BatchListener>();
  private readonly published: Record<LiveEventType, { inc(): void }>;
  private readonly maxBuffered: number;
  private closed = false;

  constructor(private readonly options: LiveEventBusOptions) {
    this.ring = new Array<string>(options.replaySize);
    this.ringOwners = new Array<string | null>(options.replaySize).fill(null);
    this.maxBuffered = options.maxBufferedBytes ?? SSE_MAX_BUFFERED_BYTES;
    const counter = options.metrics.liveEventsPublished;
    this.published = {
      'order.created': counter.labels({ type: 'order.created' }),
      'order.status_changed': counter.labels({ type: 'order.status_changed' }),
      'generator.tick': counter.labels({ type: 'generator.tick' }),
      'stream.reset': counter.labels({ type: 'stream.reset' }),
    };
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** The oldest seq a resume can still get; `lastSeq + 1` when nothing was published. */
  get oldestSeq(): number {
    return Math.max(1, this.lastSeq - this.ring.length + 1);
  }

  /** `owner`: whose order the event is about (null: everyone's to see, e.g. generator ticks). */
  publish(event: NewLiveEvent, owner: string | null = null): PublishedEvent {
    const seq = ++this.lastSeq;
    const json = serialize(event, seq);
    const published: PublishedEvent = {
      seq,
      type: event.type,
      json,
      sse: `id: ${seq}\nevent: ${event.type}\ndata: ${json}\n\n`,
      owner,
    };
    this.ring[seq % this.ring.length] = published.sse;
    this.ringOwners[seq % this.ring.length] = owner;
    this.pendingText += published.sse;
    this.pending.push(published);
    this.published[event.type].inc();
    if (!this.flushImmediate && !this.closed) this.flushImmediate = setImmediate(this.flush);
    return published;
  }

  /**
   * Parses a `Last-Event-ID` header: undefined when absent or empty, a number when
   * well formed, null when malformed (the route answers 400).
   */
  static parseLastEventId(header: string | string[] | undefined): number | undefined | null {
    if (header === undefined || header === '') return undefined;
    return typeof header === 'string' && LAST_EVENT_ID.test(header) ? Number(header) : null;
  }

  /**
   * What a new stream gets before live events: the `retry:` hint, then every event after
   * `lastEventId`, or one `stream.reset` when the window no longer covers it (or the id
   * is from the future: a restarted server).
   */
  opening(lastEventId: number | undefined, retryMs: number, viewer: Viewer = null): string {
    // A fresh stream also learns the current id (a block without data sets the browser's
    // lastEventId without an event), so a drop before its first event still resumes.
    if (lastEventId === undefined) return `retry: ${retryMs}\nid: ${this.flushedSeq}\n\n`;
    let text = `retry: ${retryMs}\n\n`;
    const oldest = this.oldestSeq;
    if (lastEventId < oldest - 1 || lastEventId > this.lastSeq) {
      const reset = `{"type":"stream.reset","seq":${this.flushedSeq},"at":"${new Date().toISOString()}","oldestSeq":${oldest}}`;
      return `${text}id: ${this.flushedSeq}\nevent: stream.reset\ndata: ${reset}\n\n`;
    }
    for (let seq = lastEventId + 1; seq <= this.flushedSeq; seq++) {
      const slot = seq % this.ring.length;
      if (mayReceive(viewer, this.ringOwners[slot] ?? null)) text += this.ring[slot];
    }
    return text;
  }

  /** Adds an open stream; it gets every flush from now on. Call `opening` and write it first, in the same turn. */
  addStream(output: SseOutput, viewer: Viewer = null): void {
    if (this.closed) {
      output.end();
      return;
    }
    this.streams.add(output);
    if (viewer !== null) this.viewers.set(output, viewer);
    this.options.metrics.sseStreamsOpen.inc();
  }

  /** The client went away (or the server closed the stream): stop writing to it. Idempotent. */
  removeStream(output: SseOutput): void {
    this.viewers.delete(output);
    if (this.streams.delete(output)) this.options.metrics.sseStreamsOpen.dec();
  }

  /** Batches of published events, in order, once per flush. Returns an unsubscribe. */
  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `: hb` comment to every stream every `ms` ms; null stops it. */
  setHeartbeat(ms: number | null): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer =
      ms === null || this.closed ? undefined : setInterval(() => this.writeAll(HEARTBEAT), ms).unref();
  }

  /** Delivers what is queued, ends every stream (graceful close must not wait on them), stops the heartbeat. */
  close(): void {
    if (this.flushImmediate) {
      clearImmediate(this.flushImmediate);
      this.flush();
    }
    this.closed = true;
    this.setHeartbeat(null);
    for (const stream of this.streams) {
      this.removeStream(stream);
      stream.end();
    }
    this.listeners.clear();
  }

  private readonly flush = (): void => {
    this.flushImmediate = undefined;
    const text = this.pendingText;
    const batch = this.pending;
    this.pendingText = '';
    this.pending = [];
    const last = batch[batch.length - 1];
    if (!last) return;
    this.flushedSeq = last.seq;
    if (this.streams.size > 0) {
      // Only public events (ticks) or no user-only stream: one text for every stream, as ever.
      if (this.viewers.size === 0 || batch.every((event) => event.owner === null)) this.writeAll(text);
      else this.writeEach(text, batch);
    }
    for (const listener of this.listeners) listener(batch);
  };

  /** A batch with owned events: a user's stream gets its own events and the public ones, built once per user. */
  private writeEach(text: string, batch: readonly PublishedEvent[]): void {
    const byViewer = new Map<string, string>();
    for (const stream of this.streams) {
      const viewer = this.viewers.get(stream);
      if (viewer === undefined) {
        this.writeTo(stream, text);
        continue;
      }
      let own = byViewer.get(viewer);
      if (own === undefined) {
        own = '';
        for (const event of batch) if (mayReceive(viewer, event.owner)) own += event.sse;
        byViewer.set(viewer, own);
      }
      if (own !== '') this.writeTo(stream, own);
    }
  }

  private writeTo(stream: SseOutput, text: string): void {
    if (stream.writableLength > this.maxBuffered) {
      this.removeStream(stream);
      this.options.metrics.deadPeersClosed.inc({ channel: 'sse' });
      stream.destroy();
      return;
    }
    stream.write(text);
  }

  private writeAll(text: string): void {
    for (const stream of this.streams) {
      // Measured before this write: what is still unsent from earlier ones, so a big batch
      // alone never counts against a peer that keeps up.
      if (stream.writableLength > this.maxBuffered) {
        // A peer that stopped reading: free the stream now; it resumes with Last-Event-ID.
        this.removeStream(stream);
        this.options.metrics.deadPeersClosed.inc({ channel: 'sse' });
        stream.destroy();
        continue;
      }
      stream.write(text);
    }
  }
}

function serialize(event: NewLiveEvent, seq: number): string {
  // The hot path (benchmarks publish 10k+ ticks/s): built by hand, padding is plain text.
  if (event.type === 'generator.tick') {
    return `{"type":"generator.tick","seq":${seq},"at":"${event.at.toISOString()}","padding":${JSON.stringify(event.padding)}}`;
  }
  // Dates leave as toISOString(), the contract's DateTime wire form; `seq` goes after `type`.
  const { type, ...rest } = event;
  return JSON.stringify({ type, seq, ...rest });
}

export interface LiveEventsPluginOptions {
  live: Readonly<LiveConfig>;
}

export default fp<LiveEventsPluginOptions>(
  async (app, { live }) => {
    const bus = new LiveEventBus({ replaySize: live.eventReplaySize, metrics: app.metrics });
    app.decorate('liveEvents', bus);

    // `: hb` every sseHeartbeatMs on every stream (existing ones too), or none (null).
    const applyHeartbeat = () => bus.setHeartbeat(app.heartbeatPolicy.get().sseHeartbeatMs);
    applyHeartbeat();
    const unsubscribe = app.heartbeatPolicy.onChange(applyHeartbeat);

    // preClose, not onClose: the server's close waits for these streams to end.
    app.addHook('preClose', (done) => {
      unsubscribe();
      bus.close();
      done();
    });
  },
  { name: 'live-events', dependencies: ['metrics', 'heartbeat-policy'] },
);
