import { readFileSync } from 'node:fs';

/** The parts of V8's `.heapsnapshot` JSON this module reads (its layout is described by `snapshot.meta`). */
interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Objects per class: what DevTools' "Summary" view lists (its "Constructor" column). */
export interface HeapSnapshotSummary {
  /** Class name → objects of it and their self size (bytes). */
  classes: Map<string, { count: number; selfSize: number }>;
  nodeCount: number;
  totalSelfSize: number;
}

export interface HeapClassDelta {
  className: string;
  countBefore: number;
  countAfter: number;
  countDelta: number;
  selfSizeBefore: number;
  selfSizeAfter: number;
  selfSizeDelta: number;
}

/**
 * Reads a heap snapshot (a file path or its parsed JSON) into objects per class. The
 * class is DevTools' "Constructor": an object's constructor name, or a group in
 * parentheses for V8's own kinds — `(closure)`, `(string)`, `(array)`, `(compiled code)`,
 * `(system)`, … — as the Summary view groups them.
 */
export function summarizeHeapSnapshot(source: string | HeapSnapshotJson): HeapSnapshotSummary {
  const snapshot: HeapSnapshotJson =
    typeof source === 'string' ? (JSON.parse(readFileSync(source, 'utf8')) as HeapSnapshotJson) : source;
  const fields = snapshot.snapshot?.meta?.node_fields;
  const types = snapshot.snapshot?.meta?.node_types?.[0];
  if (!Array.isArray(fields) || !Array.isArray(types) || !Array.isArray(snapshot.nodes)) {
    throw new Error('Not a V8 heap snapshot: snapshot.meta.node_fields / node_types or nodes is missing');
  }
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || nameAt < 0 || sizeAt < 0) throw new Error('Heap snapshot nodes lack type, name or self_size');

  const classes = new Map<string, { count: number; selfSize: number }>();
  let totalSelfSize = 0;
  const { nodes, strings } = snapshot;
  for (let offset = 0; offset < nodes.length; offset += width) {
    const type = types[nodes[offset + typeAt] ?? -1] ?? 'unknown';
    const selfSize = nodes[offset + sizeAt] ?? 0;
    const className = classNameOf(type, strings[nodes[offset + nameAt] ?? -1] ?? '');
    const entry = classes.get(className) ?? { count: 0, selfSize: 0 };
    entry.count++;
    entry.selfSize += selfSize;
    classes.set(className, entry);
    totalSelfSize += selfSize;
  }
  return { classes, nodeCount: nodes.length / width, totalSelfSize };
}

const GROUPS: Record<string, string> = {
  hidden: '(system)',
  array: '(array)',
  string: '(string)',
  'concatenated string': '(string)',
  'sliced string': '(string)',
  code: '(compiled code)',
  closure: '(closure)',
  regexp: '(regexp)',
  number: '(number)',
  symbol: '(symbol)',
  bigint: '(bigint)',
  synthetic: '(synthetic)',
  'object shape': '(object shape)',
};

function classNameOf(type: string, name: string): string {
  if (type === 'object' || type === 'native') return name || '(anonymous object)';
  return GROUPS[type] ?? `(${type})`;
}

/**
 * What grew from snapshot `before` to `after`, per class: DevTools' "Comparison" view as
 * data. Classes whose self size or count grew, most bytes first (then most objects).
 */
export function diffHeapSnapshots(before: HeapSnapshotSummary, after: HeapSnapshotSummary): HeapClassDelta[] {
  const names = new Set([...before.classes.keys(), ...after.classes.keys()]);
  const deltas: HeapClassDelta[] = [];
  for (const className of names) {
    const a = before.classes.get(className) ?? { count: 0, selfSize: 0 };
    const b = after.classes.get(className) ?? { count: 0, selfSize: 0 };
    const delta = {
      className,
      countBefore: a.count,
      countAfter: b.count,
      countDelta: b.count - a.count,
      selfSizeBefore: a.selfSize,
      selfSizeAfter: b.selfSize,
      selfSizeDelta: b.selfSize - a.selfSize,
    };
    if (delta.countDelta > 0 || delta.selfSizeDelta > 0) deltas.push(delta);
  }
  return deltas.sort((x, y) => y.selfSizeDelta - x.selfSizeDelta || y.countDelta - x.countDelta);
}
