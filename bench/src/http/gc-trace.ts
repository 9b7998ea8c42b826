/**
 * Counts the collections in a V8 `--trace-gc` log (one line per collection:
 * `[pid:isolate]  1234 ms: Scavenge 5.2 (6.0) -> 4.1 (7.0) MB, …`), so a benchmark can say
 * how many each run took. Other lines (the server's own log) are ignored.
 */
export interface CollectionCounts {
  /** Young-generation collections. */
  scavenges: number;
  /** Full collections (mark-compact or mark-sweep of the old generation). */
  markCompacts: number;
}

export const GC_TRACE_FLAG = '--trace-gc';

export function countCollections(trace: string): CollectionCounts {
  return {
    scavenges: trace.match(/ ms: Scavenge\b/g)?.length ?? 0,
    markCompacts: trace.match(/ ms: Mark-(?:Compact|Sweep)\b/gi)?.length ?? 0,
  };
}
