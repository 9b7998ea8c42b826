/** A V8 CPU profile (`.cpuprofile`): what `Profiler.stop` and `node --cpu-prof` write. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

type ProfileNode = CpuProfile['nodes'][number];
type CallFrame = ProfileNode['callFrame'];

interface Frame {
  name: string;
  kind: FrameKind;
  /** Samples in this frame and everything it called. */
  total: number;
  children: Frame[];
}

type FrameKind = 'app' | 'dependency' | 'node' | 'v8';

const COLORS: Record<FrameKind, [number, number, number]> = {
  app: [22, 163, 74],
  dependency: [234, 88, 12],
  node: [37, 99, 235],
  v8: [148, 163, 184],
};

/** Which code a frame belongs to: ours, a package from node_modules, Node's own, or V8's (GC, idle, program). */
export function frameKind(frame: CallFrame): FrameKind {
  if (frame.url.includes('/node_modules/')) return 'dependency';
  if (
    frame.url.startsWith('node:') ||
    (frame.url === '' && frame.functionName !== '' && !frame.functionName.startsWith('('))
  )
    return 'node';
  if (frame.url === '') return 'v8';
  return 'app';
}

/** `stringify (fast-json-stringify/index.js:12)`: the function, and the package or file it lives in. */
export function frameName(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const path = frame.url.replace(/^file:\/\//, '');
  const inPackage = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  const where = inPackage ? `${inPackage[1]}/${inPackage[2]?.split('/').pop()}` : path.split('/').slice(-2).join('/');
  return `${name} (${where}:${frame.lineNumber + 1})`;
}

/** Samples per node: `hitCount` when the profile has it, else counted from `samples`. */
function hitsByNode(profile: CpuProfile): Map<number, number> {
  const hits = new Map<number, number>();
  if (profile.samples?.length) {
    for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  } else {
    for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
  }
  return hits;
}

/** The profile as a tree of frames, each with its inclusive sample count; siblings of the same name merged. */
export function frameTree(profile: CpuProfile): Frame {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = hitsByNode(profile);
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const root = profile.nodes.find((node) => !childIds.has(node.id));
  if (!root) throw new Error('The profile has no root node');

  const build = (node: ProfileNode): Frame => {
    const merged = new Map<string, Frame>();
    for (const childId of node.children ?? []) {
      const child = byId.get(childId);
      if (!child) continue;
      const frame = build(child);
      const same = merged.get(frame.name);
      if (same) mergeInto(same, frame);
      else merged.set(frame.name, frame);
    }
    const children = [...merged.values()].filter((child) => child.total > 0).sort((a, b) => b.total - a.total);
    const self = hits.get(node.id) ?? 0;
    return {
      name: frameName(node.callFrame),
      kind: frameKind(node.callFrame),
      total: self + children.reduce((sum, child) => sum + child.total, 0),
      children,
    };
  };
  return build(root);
}

function mergeInto(target: Frame, other: Frame): void {
  target.total += other.total;
  for (const child of other.children) {
    const same = target.children.find((candidate) => candidate.name === child.name);
    if (same) mergeInto(same, child);
    else target.children.push(child);
  }
  target.children.sort((a, b) => b.total - a.total);
}

/**
 * The share (0–1) of the profile's samples whose stack holds a frame `matches` accepts:
 * e.g. "how much of the CPU went through zod". Idle samples are left out of both sides.
 */
export function shareOfSamples(profile: CpuProfile, matches: (frame: CallFrame) => boolean): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const memo = new Map<number, boolean>();
  const inStack = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result = node !== undefined && (matches(node.callFrame) || (up !== undefined && inStack(up)));
    memo.set(id, result);
    return result;
  };
  let busy = 0;
  let matched = 0;
  for (const [id, count] of hitsByNode(profile)) {
    if (byId.get(id)?.callFrame.functionName === '(idle)') continue;
    busy += count;
    if (inStack(id)) matched += count;
  }
  return busy === 0 ? 0 : matched / busy;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface FlameGraphOptions {
  title: string;
  subtitle?: string;
  width?: number;
  /** Frames narrower than this share of the whole are left out (default 0.2 %). */
  minShare?: number;
}

/**
 * An SVG flame graph of a CPU profile: the root at the bottom, callers below callees,
 * each frame as wide as its share of the samples. Green is our code, orange a
 * dependency, blue Node, grey V8 (GC, idle, program). Hover a frame for its full name.
 * Idle time is left out, so the width is the busy CPU.
 */
export function renderFlameGraph(profile: CpuProfile, options: FlameGraphOptions): string {
  const tree = frameTree(profile);
  tree.children = tree.children.filter((child) => child.name !== '(idle)');
  tree.total = tree.children.reduce((sum, child) => sum + child.total, 0);
  tree.name = 'all busy samples';

  const width = options.width ?? 1200;
  const rowHeight = 16;
  const margin = 10;
  const header = options.subtitle ? 48 : 32;
  const minShare = options.minShare ?? 0.002;
  const plotWidth = width - 2 * margin;

  const rects: { x: number; depth: number; width: number; frame: Frame }[] = [];
  let maxDepth = 0;
  const place = (frame: Frame, x: number, depth: number) => {
    const frameWidth = tree.total === 0 ? 0 : (frame.total / tree.total) * plotWidth;
    if (tree.total > 0 && frame.total / tree.total < minShare) return;
    rects.push({ x, depth, width: frameWidth, frame });
    maxDepth = Math.max(maxDepth, depth);
    let childX = x;
    for (const child of frame.children) {
      place(child, childX, depth + 1);
      childX += (child.total / tree.total) * plotWidth;
    }
  };
  place(tree, margin, 0);

  const height = header + (maxDepth + 1) * rowHeight + margin + 18;
  const bottom = height - margin - 18;
  const boxes = rects.map(({ x, depth, width: w, frame }, index) => {
    const y = bottom - (depth + 1) * rowHeight;
    const [r, g, b] = frame === tree ? [100, 116, 139] : COLORS[frame.kind];
    const shade = 0.8 + ((index * 37) % 20) / 100;
    const fill = `rgb(${Math.round(r * shade)},${Math.round(g * shade)},${Math.round(b * shade)})`;
    const share = tree.total === 0 ? 0 : (100 * frame.total) / tree.total;
    const chars = Math.floor((w - 6) / 6.2);
    const label = chars < 3 ? '' : frame.name.length > chars ? `${frame.name.slice(0, chars - 1)}…` : frame.name;
    return [
      `<g><title>${escapeXml(frame.name)}: ${frame.total} samples (${share.toFixed(1)} %)</title>`,
      `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w - 0.5, 0.5).toFixed(1)}" height="${rowHeight - 1}" fill="${fill}" rx="1"/>`,
      label ? `<text x="${(x + 3).toFixed(1)}" y="${y + 11.5}">${escapeXml(label)}</text>` : '',
      '</g>',
    ].join('');
  });

  const legend = (['app', 'dependency', 'node', 'v8'] as const).map((kind, index) => {
    const [r, g, b] = COLORS[kind];
    const x = margin + index * 140;
    return `<rect x="${x}" y="${height - 14}" width="10" height="10" fill="rgb(${r},${g},${b})"/><text x="${x + 14}" y="${height - 5}">${{ app: 'our code', dependency: 'node_modules', node: 'Node.js', v8: 'V8 / GC' }[kind]}</text>`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, monospace" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${margin}" y="20" font-size="15" font-family="system-ui, sans-serif" font-weight="600">${escapeXml(options.title)}</text>`,
    options.subtitle
      ? `<text x="${margin}" y="38" font-size="12" font-family="system-ui, sans-serif" fill="#475569">${escapeXml(options.subtitle)}</text>`
      : '',
    `<g fill="#0f172a">${boxes.join('')}</g>`,
    `<g fill="#334155">${legend.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
