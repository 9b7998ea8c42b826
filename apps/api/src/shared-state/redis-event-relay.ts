import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { LiveEventRelay, RelayedBus, RelayedEvent } from '../plugins/app/live-events.js';
import type { LiveEventType } from '../plugins/external/metrics.js';
import { closeRedisConnection, openRedisConnection } from './redis-connection.js';

/**
 * Numbers and appends one event, atomically: the next value of the counter, never at or
 * below the stream's last id nor the publisher's own last seq (`floor`: Redis may have
 * restarted without its data while replicas remember further), becomes the stream entry's
 * id `<seq>-0`; the event's JSON is `head .. seq .. tail`, concatenated here, so it is
 * serialized once, by its publisher. The stream keeps about `maxlen` entries (MAXLEN ~).
 *
 * KEYS[1] stream, KEYS[2] counter; ARGV head, tail, type, owner ('' = public), floor, maxlen.
 * Returns the seq.
 */
const APPEND_LUA = `
local seq = redis.call('INCR', KEYS[2])
local least = tonumber(ARGV[5]) + 1
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if top[1] then
  local topSeq = tonumber(string.match(top[1][1], '^(%d+)'))
  if topSeq + 1 > least then least = topSeq + 1 end
end
if seq < least then
  seq = least
  redis.call('SET', KEYS[2], seq)
end
local id = string.format('%d', seq)
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], id .. '-0', 't', ARGV[3], 'o', ARGV[4], 'j', ARGV[1] .. id .. ARGV[2])
return seq
`;

/** Raises the counter to at least ARGV[1] (a replica that remembers further than a restarted Redis). */
const RAISE_LUA = `
local current = tonumber(redis.call('GET', KEYS[1])) or 0
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return current
`;

type StreamEntry = [id: string, fields: string[]];
type XreadReply = [key: string, entries: StreamEntry[]][] | null;
type WithScripts = Redis & {
  tandemAppendEvent(
    stream: string,
    counter: string,
    head: string,
    tail: string,
    type: string,
    owner: string,
    floor: number,
    maxlen: number,
  ): Promise<number>;
  tandemRaiseCounter(counter: string, floor: number): Promise<number>;
};

/** How long one XREAD waits for new entries before it asks again (also how soon a stop is noticed). */
const BLOCK_MS = 5000;
/** Entries taken per read: a backlog is delivered in batches, each one flush. */
const READ_COUNT = 1000;
/** Between attempts while Redis does not answer. */
const RETRY_MS = 250;
/** Publishes and history reads: as long as the rate limiter gives Redis. */
const COMMAND_TIMEOUT_MS = 250;

export interface RedisEventRelayOptions {
  url: string;
  /** EVENT_STREAM_RETENTION: about how many events the stream keeps (the replay window of a resume). */
  retention: number;
  /**
   * Keys are `{<prefix>events}` and `{<prefix>events}:seq`: one hash tag, so the append
   * script's two keys share a slot in Redis Cluster.
   */
  keyPrefix?: string;
  /** Every failed command or connection (counted and logged by the caller). */
  onError: (error: unknown) => void;
  /** Events read from the stream (`read`) or not taken by Redis (`lost`). */
  onEvents: (outcome: 'read' | 'lost', count: number) => void;
}

/**
 * Live events through a Redis stream, so that every replica delivers the same events in
 * the same order under the same ids (`seq`, `Last-Event-ID`). A publish is one script
 * call (APPEND_LUA) on the command connection; a dedicated connection reads the stream
 * with XREAD BLOCK from the last id its bus has, and delivers every entry — its own
 * replica's included — to the bus. A resume older than the bus's ring reads the stream's
 * history (XRANGE).
 *
 * While Redis does not answer, a publish is lost (counted; the write that published it
 * stands), the reader retries every RETRY_MS, and once it reads again every open stream
 * of this replica gets a `stream.reset`, so clients refetch what they may have missed
 * (docs/decisions/0016-shared-state-on-redis.md).
 */
export class RedisEventRelay implements LiveEventRelay {
  private bus: RelayedBus | undefined;
  private closed = false;
  /** Set when an event may have been lost (a failed publish or read); the next good read resets the streams. */
  private lostEvents = false;
  private reading: Promise<void> | undefined;
  private readonly streamKey: string;
  private readonly counterKey: string;

  private constructor(
    private readonly options: RedisEventRelayOptions,
    private readonly redis: WithScripts,
    private readonly reader: Redis,
  ) {
    const prefix = options.keyPrefix ?? 'tandem:';
    this.streamKey = `{${prefix}events}`;
    this.counterKey = `{${prefix}events}:seq`;
  }

  static async connect(options: RedisEventRelayOptions): Promise<RedisEventRelay> {
    const [redis, reader] = await Promise.all([
      openRedisConnection({
        url: options.url,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        autoPipelining: true,
        onError: options.onError,
      }),
      // A blocking read waits BLOCK_MS by design: its timeout is that and a margin.
      openRedisConnection({ url: options.url, commandTimeoutMs: BLOCK_MS + 1000, onError: options.onError }),
    ]);
    redis.defineCommand('tandemAppendEvent', { numberOfKeys: 2, lua: APPEND_LUA });
    redis.defineCommand('tandemRaiseCounter', { numberOfKeys: 1, lua: RAISE_LUA });
    return new RedisEventRelay(options, redis as WithScripts, reader);
  }

  follow(bus: RelayedBus): void {
    this.bus = bus;
    this.reading ??= this.read(bus);
  }

  send(type: LiveEventType, head: string, tail: string, owner: string | null): void {
    const floor = this.bus?.latestSeq ?? 0;
    this.redis
      .tandemAppendEvent(this.streamKey, this.counterKey, head, tail, type, owner ?? '', floor, this.options.retention)
      .catch((error: unknown) => {
        this.lostEvents = true;
        this.options.onEvents('lost', 1);
        this.options.onError(error);
      });
  }

  async range(from: number, to: number): Promise<readonly RelayedEvent[]> {
    if (to < from) return [];
    const entries = await this.redis.xrange(this.streamKey, `${from}-0`, `${to}-0`);
    return entries.map(toEvent);
  }

  async close(): Promise<void> {
    this.closed = true;
    // A blocked XREAD ends with its connection.
    this.reader.disconnect();
    await this.reading?.catch(() => {});
    await closeRedisConnection(this.redis);
  }

  private async read(bus: RelayedBus): Promise<void> {
    let positioned = false;
    while (!this.closed) {
      try {
        if (!positioned) {
          await this.position(bus);
          positioned = true;
        }
        if (this.lostEvents) {
          this.lostEvents = false;
          bus.resetStreams();
        }
        const reply = (await this.reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.streamKey,
          `${bus.latestSeq}-0`,
        )) as XreadReply;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length > 0) this.options.onEvents('read', entries.length);
        for (const entry of entries) bus.deliver(toEvent(entry));
      } catch (error) {
        if (this.closed) return;
        this.options.onError(error);
        this.lostEvents = true;
        positioned = false;
        await sleep(RETRY_MS);
      }
    }
  }

  /**
   * Where the bus stands in the stream: a fresh bus starts at the stream's last entry (a
   * resume from further back reads the history); a bus that remembers more than Redis
   * (restarted without its data) raises the counter, so no id is handed out twice.
   */
  private async position(bus: RelayedBus): Promise<void> {
    const [top] = await this.reader.xrevrange(this.streamKey, '+', '-', 'COUNT', 1);
    const topSeq = top ? seqOf(top[0]) : 0;
    bus.startAt(topSeq);
    if (bus.latestSeq > topSeq) await this.redis.tandemRaiseCounter(this.counterKey, bus.latestSeq);
  }
}

function seqOf(id: string): number {
  return Number.parseInt(id, 10);
}

/** A stream entry's fields, as APPEND_LUA wrote them: t (type), o (owner, '' = public), j (JSON). */
function toEvent([id, fields]: StreamEntry): RelayedEvent {
  let type = '';
  let owner = '';
  let json = '';
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1] ?? '';
    if (fields[i] === 't') type = value;
    else if (fields[i] === 'o') owner = value;
    else if (fields[i] === 'j') json = value;
  }
  return { seq: seqOf(id), type: type as LiveEventType, json, owner: owner === '' ? null : owner };
}
