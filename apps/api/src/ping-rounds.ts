/**
 * The heartbeat both live channels use: every `intervalMs`, ping each peer; `timeoutMs`
 * later, end every peer that has not answered that round. WebSocket ping/pong and
 * HTTP/2 PING plug in their own `ping` and `end`.
 */
export class PingRounds<Peer> {
  private timer: NodeJS.Timeout | undefined;
  private readonly deadlines = new Set<NodeJS.Timeout>();

  constructor(
    private readonly peers: () => Iterable<Peer>,
    /** Sends a ping; calls `answered` when the peer's answer arrives. */
    private readonly ping: (peer: Peer, answered: () => void) => void,
    /** Ends a peer that missed the deadline (and counts it). */
    private readonly end: (peer: Peer) => void,
  ) {}

  /** (Re)starts the rounds; timers are unref'd so they never keep a process alive. */
  start(intervalMs: number, timeoutMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.round(timeoutMs), intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const deadline of this.deadlines) clearTimeout(deadline);
    this.deadlines.clear();
  }

  private round(timeoutMs: number): void {
    const unanswered = new Set<Peer>();
    for (const peer of this.peers()) {
      unanswered.add(peer);
      this.ping(peer, () => unanswered.delete(peer));
    }
    const deadline = setTimeout(() => {
      this.deadlines.delete(deadline);
      for (const peer of unanswered) this.end(peer);
    }, timeoutMs).unref();
    this.deadlines.add(deadline);
  }
}
