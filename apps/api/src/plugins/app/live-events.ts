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

/** An event numbered by the shared order (a relay), as every replica's bus receives it. */
export interface RelayedEvent {
  readonly seq: number;
  readonly type: LiveEventType;
  /** The event's JSON, `seq` included: built once, by concatenation, where it was numbered. */
  readonly json: string;
  readonly owner: string | null;
}

/** What a relay drives on the bus it follows. */
export type RelayedBus = Pick<LiveEventBus, 'deliver' | 'startAt' | 'resetStreams' | 'latestSeq'>;

/**
 * Where events are numbered when several processes serve one feed (with REDIS_URL:
 * shared-state/redis-event-relay.ts). The bus then numbers nothing itself: `publish`
 * serializes the event once around its future `seq` and sends it; the relay hands every
 * numbered event, this bus's own included, back through `deliver`, in one order for every
 * replica. Without a relay the bus numbers events itself (one process).
 */
export interface LiveEventRelay {
  /** Starts handing the relay's events to `bus` (the live-events plugin calls it once). */
  follow(bus: RelayedBus): void;
  /** `head` + seq + `tail` is the event's JSON. Never throws: a failure is the relay's to report. */
  send(type: LiveEventType, head: string, tail: string, owner: string | null): void;
  /** The events numbered `from`…`to` that the shared order still holds, in order (a resume older than the ring). */
  range(from: number, to: number): Promise<readonly RelayedEvent[]>;
}

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
  /** Set: events are numbered by this shared order and arrive through `deliver`; unset: by this bus. */
  relay?: LiveEventRelay;
}

/**
 * How long a resume whose `Last-Event-ID` is ahead of this replica waits for the relay to
 * deliver up to it (the client read it from a replica that got it first) before it is
 * answered with `stream.reset`.
 */
export const RESUME_CATCH_UP_MS = 2000;

/**
 * The event bus behind `GET /api/v1/events` and the WebSocket. `publish` numbers each
 * event (`seq`, from 1, gapless), serializes it once into its final SSE text, keeps the
 * last `replaySize` for `Last-Event-ID` resume, and queues it. Once per turn of the event
 * loop the queued text is written as one string to every open stream (one write per
 * stream however many events were published) and handed to batch listeners (the
 * WebSocket). Nothing is serialized or allocated per subscriber. With a `relay` (several
 * replicas) the relay numbers the events instead and every one, this bus's own included,
 * comes in through `deliver`; the rest is the same.
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
  private readonly relay: LiveEventRelay | undefined;
  /** The oldest seq the ring holds without a gap (a relay can skip ahead; a fresh replica starts mid-stream). */
  private ringStart = 1;
  /** Resumes waiting for the relay to deliver up to their Last-Event-ID. */
  private catchUps: { seq: number; done: () => void }[] = [];
  private closed = false;

  constructor(private readonly options: LiveEventBusOptions) {
    this.ring = new Array<string>(options.replaySize);
    this.ringOwners = new Array<string | null>(options.replaySize).fill(null);
    this.maxBuffered = options.maxBufferedBytes ?? SSE_MAX_BUFFERED_BYTES;
    this.relay = options.relay;
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

  /** The oldest seq a resume can still get from this bus's ring; `lastSeq + 1` when it holds nothing. */
  get oldestSeq(): number {
    return Math.max(this.ringStart, this.lastSeq - this.ring.length + 1);
  }

  /** The last seq this bus numbered or was delivered. */
  get latestSeq(): number {
    return this.lastSeq;
  }

  /**
   * `owner`: whose order the event is about (null: everyone's to see, e.g. generator ticks).
   * Returns the event as numbered here; undefined with a relay, which numbers it and
   * delivers it back (to every replica) a moment later.
   */
  publish(event: NewLiveEvent, owner: string | null = null): PublishedEvent | undefined {
    this.published[event.type].inc();
    const { head, tail } = serializeAround(event);
    if (this.relay) {
      this.relay.send(event.type, head, tail, owner);
      return undefined;
    }
    const seq = this.lastSeq + 1;
    return this.enqueue(seq, event.type, `${head}${seq}${tail}`, owner);
  }

  /**
   * An event numbered by the relay (every replica's, this one's own included), in the
   * relay's order. One already seen is ignored; one past a gap (events the relay no longer
   * held when this replica read) first sends every stream a `stream.reset`, since each has
   * missed what was skipped. Returns whether it was taken.
   */
  deliver(event: RelayedEvent): boolean {
    if (event.seq <= this.lastSeq || this.closed) return false;
    if (event.seq > this.lastSeq + 1) {
      // The ring holds nothing before this event; a resume from further back reads the relay.
      this.ringStart = event.seq;
      if (this.lastSeq > 0) {
        this.lastSeq = event.seq - 1;
        this.resetStreams();
      }
    }
    this.enqueue(event.seq, event.type, event.json, event.owner);
    return true;
  }

  /**
   * Where a fresh bus starts in a relay's order: at `seq`, the last event already numbered,
   * with nothing of it in the ring (a resume older than that is read from the relay).
   * Ignored once the bus has seen events.
   */
  startAt(seq: number): void {
    if (this.lastSeq > 0 || seq <= 0) return;
    this.lastSeq = seq;
    this.flushedSeq = seq;
    this.ringStart = seq + 1;
    this.releaseCatchUps();
  }

  /**
   * Sends every open stream a `stream.reset` now, after what is queued: events may have
   * been lost (the relay could not be reached), so clients refetch what they show.
   */
  resetStreams(): void {
    if (this.flushImmediate) {
      clearImmediate(this.flushImmediate);
      this.flush();
    }
    if (this.streams.size > 0) this.writeAll(this.resetText());
  }

  private enqueue(seq: number, type: LiveEventType, json: string, owner: string | null): PublishedEvent {
    this.lastSeq = seq;
    const published: PublishedEvent = { seq, type, json, sse: `id: ${seq}\nevent: ${type}\ndata: ${json}\n\n`, owner };
    this.ring[seq % this.ring.length] = published.sse;
    this.ringOwners[seq % this.ring.length] = owner;
    this.pendingText += published.sse;
    this.pending.push(published);
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
    if (lastEventId < oldest - 1 || lastEventId > this.lastSeq) return text + this.resetText();
    for (let seq = lastEventId + 1; seq <= this.flushedSeq; seq++) {
      const slot = seq % this.ring.length;
      if (mayReceive(viewer, this.ringOwners[slot] ?? null)) text += this.ring[slot];
    }
    return text;
  }

  /**
   * `opening`, for a bus fed by a relay: a `Last-Event-ID` ahead of this replica waits (up
   * to RESUME_CATCH_UP_MS) until the relay delivered it, and one older than the ring is
   * replayed from the relay's history, so a client resumes on any replica with no gap and
   * no duplicate. Write the text and add the stream in the same turn as it resolves.
   */
  async openingFor(lastEventId: number | undefined, retryMs: number, viewer: Viewer = null): Promise<string> {
    const relay = this.relay;
    if (!relay || lastEventId === undefined) return this.opening(lastEventId, retryMs, viewer);
    if (lastEventId > this.flushedSeq) await this.caughtUp(lastEventId, RESUME_CATCH_UP_MS);
    if (lastEventId >= this.oldestSeq - 1 || lastEventId > this.lastSeq)
      return this.opening(lastEventId, retryMs, viewer);
    let older: readonly RelayedEvent[];
    try {
      older = await relay.range(lastEventId + 1, this.oldestSeq - 1);
    } catch {
      return this.opening(lastEventId, retryMs, viewer);
    }
    // The ring may have moved on while the history was read: take each seq from where it is now.
    let text = `retry: ${retryMs}\n\n`;
    const first = lastEventId + 1;
    const oldest = this.oldestSeq;
    for (let seq = first; seq <= this.flushedSeq; seq++) {
      if (seq >= oldest) {
        const slot = seq % this.ring.length;
        if (mayReceive(viewer, this.ringOwners[slot] ?? null)) text += this.ring[slot];
        continue;
      }
      const event = older[seq - first];
      if (event?.seq !== seq) return `retry: ${retryMs}\n\n${this.resetText()}`;
      if (mayReceive(viewer, event.owner)) text += `id: ${seq}\nevent: ${event.type}\ndata: ${event.json}\n\n`;
    }
    return text;
  }

  /** Resolves once every event up to `seq` was written to the streams, or after `timeoutMs`. */
  private caughtUp(seq: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const entry = { seq, done };
      this.catchUps.push(entry);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private releaseCatchUps(): void {
    if (this.catchUps.length === 0) return;
    const waiting = this.catchUps;
    this.catchUps = [];
    for (const entry of waiting) {
      if (entry.seq <= this.flushedSeq || this.closed) entry.done();
      else this.catchUps.push(entry);
    }
  }

  /** A `stream.reset` block: the client's place is lost, it refetches and goes on from the current id. */
  private resetText(): string {
    const reset = `{"type":"stream.reset","seq":${this.flushedSeq},"at":"${new Date().toISOString()}","oldestSeq":${this.oldestSeq}}`;
    return `id: ${this.flushedSeq}\nevent: stream.reset\ndata: ${reset}\n\n`;
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
    this.releaseCatchUps();
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
    this.releaseCatchUps();
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

/**
 * The event's JSON on either side of its `seq` (`head` + seq + `tail`), so it is serialized
 * once whoever numbers it: this bus, or a relay that numbers it for every replica.
 */
function serializeAround(event: NewLiveEvent): { head: string; tail: string } {
  const head = `{"type":"${event.type}","seq":`;
  // The hot path (benchmarks publish 10k+ ticks/s): built by hand, padding is plain text.
  if (event.type === 'generator.tick') {
    return { head, tail: `,"at":"${event.at.toISOString()}","padding":${JSON.stringify(event.padding)}}` };
  }
  // Dates leave as toISOString(), the contract's DateTime wire form; `seq` goes after `type`.
  const { type, ...rest } = event;
  const json = JSON.stringify({ type, seq: 0, ...rest });
  return { head, tail: json.slice(head.length + 1) };
}

export interface LiveEventsPluginOptions {
  live: Readonly<LiveConfig>;
  /** Where events are numbered for every replica (shared-state: Redis Streams); unset: this process. */
  relay?: LiveEventRelay | undefined;
}

export default fp<LiveEventsPluginOptions>(
  async (app, { live, relay }) => {
    const bus = new LiveEventBus({
      replaySize: live.eventReplaySize,
      metrics: app.metrics,
      ...(relay ? { relay } : {}),
    });
    app.decorate('liveEvents', bus);
    relay?.follow(bus);

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
