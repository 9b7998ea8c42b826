import { performance } from 'node:perf_hooks';

/** What DeadlineTimers keeps: when it expires, and its place in its queue (set and read by DeadlineTimers only). */
export interface TimedDeadline {
  /** `performance.now()` at which it expires. */
  readonly expiresAt: number;
  queue: DeadlineQueue | undefined;
  queuePrev: TimedDeadline | undefined;
  queueNext: TimedDeadline | undefined;
}

/**
 * The deadlines of one timeout length, in arrival order: the order they expire in. One
 * Node timer, armed for the head, serves them all.
 */
export interface DeadlineQueue {
  readonly timeoutMs: number;
  head: TimedDeadline | undefined;
  tail: TimedDeadline | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The deadlines of the requests in flight, with one Node timer per distinct timeout length
 * instead of one per request. Every request of the same length (the default deadline, or
 * the same `X-Request-Timeout`) expires in the order it arrived, so a queue per length is
 * sorted by construction: adding links at its tail, a request that answers unlinks itself,
 * both without an allocation; the queue's one timer is armed for its head and, when it
 * fires, expires every deadline that has passed and re-arms for the next. A deadline
 * never expires before its time. A queue left empty keeps its timer until it fires (most
 * requests answer within the tick they arrived in: clearing and re-arming a timer for
 * each would cost what a timer per request costs); `clear()` stops them all.
 */
export class DeadlineTimers<T extends TimedDeadline> {
  private readonly queues = new Map<number, DeadlineQueue>();

  /** `onExpired` is told once for each deadline that passes while it is still in. */
  constructor(
    private readonly onExpired: (deadline: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Deadlines in, over every queue (tests). */
  get size(): number {
    let count = 0;
    for (const queue of this.queues.values()) {
      for (let at = queue.head; at; at = at.queueNext) count += 1;
    }
    return count;
  }

  /** Starts watching a deadline of `timeoutMs`; its `expiresAt` must be now + `timeoutMs`. */
  add(deadline: T, timeoutMs: number): void {
    let queue = this.queues.get(timeoutMs);
    if (!queue) {
      queue = { timeoutMs, head: undefined, tail: undefined, timer: undefined };
      this.queues.set(timeoutMs, queue);
    }
    deadline.queue = queue;
    deadline.queuePrev = queue.tail;
    deadline.queueNext = undefined;
    if (queue.tail) queue.tail.queueNext = deadline;
    else queue.head = deadline;
    queue.tail = deadline;
    if (!queue.timer) this.arm(queue, deadline.expiresAt);
  }

  /** Stops watching a deadline (answered, or the client went away); a no-op when it is not in. */
  remove(deadline: T): void {
    const queue = deadline.queue;
    if (!queue) return;
    if (deadline.queuePrev) deadline.queuePrev.queueNext = deadline.queueNext;
    else queue.head = deadline.queueNext;
    if (deadline.queueNext) deadline.queueNext.queuePrev = deadline.queuePrev;
    else queue.tail = deadline.queuePrev;
    deadline.queue = undefined;
    deadline.queuePrev = undefined;
    deadline.queueNext = undefined;
  }

  /** Clears every timer and forgets every deadline (the app closes). */
  clear(): void {
    for (const queue of [...this.queues.values()]) {
      while (queue.head) this.remove(queue.head as T);
      this.drop(queue);
    }
  }

  private arm(queue: DeadlineQueue, expiresAt: number): void {
    // Node's timers count whole milliseconds from the loop's clock: never fire early.
    const delay = Math.max(1, Math.ceil(expiresAt - this.now()));
    queue.timer = setTimeout(() => this.fire(queue), delay);
  }

  private drop(queue: DeadlineQueue): void {
    clearTimeout(queue.timer);
    queue.timer = undefined;
    if (this.queues.get(queue.timeoutMs) === queue) this.queues.delete(queue.timeoutMs);
  }

  private fire(queue: DeadlineQueue): void {
    queue.timer = undefined;
    const now = this.now();
    for (let head = queue.head; head && head.expiresAt <= now; head = queue.head) {
      this.remove(head as T);
      this.onExpired(head as T);
    }
    // Whatever the callbacks added or removed, the queue's head is the next to expire.
    if (!queue.head) this.drop(queue);
    else if (!queue.timer) this.arm(queue, queue.head.expiresAt);
  }
}
