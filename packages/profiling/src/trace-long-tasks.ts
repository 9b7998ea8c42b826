/** One event of a Chrome trace (the Trace Event Format that Perfetto and chrome://tracing read). */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  /** Microseconds, the trace's own clock. */
  ts: number;
  dur?: number;
  id?: string;
  args?: Record<string, unknown>;
}

/** What `browser.stopTracing()` returns, parsed: `{ traceEvents: [...] }` (or a bare array). */
export type ChromeTrace = { traceEvents: TraceEvent[] } | TraceEvent[];

export interface LongTaskFunction {
  functionName: string;
  url: string;
  /** 1-based. */
  line: number;
  /** Self time from the JS sampler, or a call's own duration (callees included) from FunctionCall events. */
  ms: number;
}

export interface LongTask {
  /** Since the first event of the trace. */
  startMs: number;
  durationMs: number;
  pid: number;
  tid: number;
  /** The JS functions that took the task's time, most first (at most 5). */
  topFunctions: LongTaskFunction[];
  /** Where `topFunctions` came from: the V8 sampler's ProfileChunk events, FunctionCall events, or nothing. */
  functionsFrom: 'samples' | 'function-calls' | 'none';
}

/** The renderer main threads of a trace: `thread_name` metadata naming CrRendererMain. */
export function rendererMainThreads(trace: ChromeTrace): { pid: number; tid: number }[] {
  return eventsOf(trace)
    .filter((event) => event.ph === 'M' && event.name === 'thread_name' && nameArg(event) === 'CrRendererMain')
    .map(({ pid, tid }) => ({ pid, tid }));
}

const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
/** Frames of the sampler that are not JavaScript functions. */
const NOT_JS = new Set(['(root)', '(program)', '(idle)']);

/**
 * The tasks on a renderer main thread longer than `thresholdMs` (the Long Tasks API's
 * 50 ms by default), longest first, each with the JS functions that ran inside it:
 * self time from the sampler's `ProfileChunk` events when the trace recorded them
 * (category `disabled-by-default-v8.cpu_profiler`), otherwise the `FunctionCall` events.
 */
export function longTasks(trace: ChromeTrace, thresholdMs = 50): LongTask[] {
  const events = eventsOf(trace);
  const mainThreads = rendererMainThreads(trace);
  const isMain = (event: TraceEvent) => mainThreads.some((t) => t.pid === event.pid && t.tid === event.tid);
  const origin = Math.min(...events.filter((event) => event.ts > 0).map((event) => event.ts));

  const tasks = events
    .filter((event) => event.ph === 'X' && TASK_NAMES.has(event.name) && isMain(event))
    .sort((a, b) => a.ts - b.ts);
  // Only outermost tasks: a nested RunTask (a task run inside another) is part of its parent's time.
  const outer: TraceEvent[] = [];
  for (const task of tasks) {
    const last = outer.at(-1);
    if (last && last.pid === task.pid && last.tid === task.tid && task.ts < last.ts + (last.dur ?? 0)) continue;
    outer.push(task);
  }

  const samples = sampledFrames(events);
  const calls = events.filter((event) => event.ph === 'X' && event.name === 'FunctionCall' && isMain(event));
  return outer
    .filter((task) => (task.dur ?? 0) / 1000 > thresholdMs)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .map((task) => {
      const end = task.ts + (task.dur ?? 0);
      const inTask = <T extends { ts: number; pid: number }>(item: T) =>
        item.pid === task.pid && item.ts >= task.ts && item.ts <= end;
      const fromSamples = top(samples.filter(inTask).map((s) => ({ ...s.frame, ms: s.micros / 1000 })));
      const fromCalls = top(
        calls.filter(inTask).map((call) => {
          const data = (call.args?.data ?? {}) as { functionName?: string; url?: string; lineNumber?: number };
          return {
            functionName: data.functionName || '(anonymous)',
            url: data.url ?? '',
            line: (data.lineNumber ?? 0) + 1,
            ms: (call.dur ?? 0) / 1000,
          };
        }),
      );
      const functionsFrom = fromSamples.length > 0 ? 'samples' : fromCalls.length > 0 ? 'function-calls' : 'none';
      return {
        startMs: (task.ts - origin) / 1000,
        durationMs: (task.dur ?? 0) / 1000,
        pid: task.pid,
        tid: task.tid,
        topFunctions: functionsFrom === 'samples' ? fromSamples : fromCalls,
        functionsFrom,
      };
    });
}

interface SampledFrame {
  pid: number;
  ts: number;
  micros: number;
  frame: Omit<LongTaskFunction, 'ms'>;
}

/** Every JS sample of the trace's V8 sampler (Profile + ProfileChunk events), with its time and leaf frame. */
function sampledFrames(events: TraceEvent[]): SampledFrame[] {
  type Node = { callFrame?: { functionName?: string; url?: string; lineNumber?: number } };
  const profiles = new Map<string, { pid: number; time: number; nodes: Map<number, Node> }>();
  const frames: SampledFrame[] = [];
  for (const event of events) {
    if (event.ph !== 'P' || (event.name !== 'Profile' && event.name !== 'ProfileChunk')) continue;
    const key = `${event.pid}:${event.id}`;
    const data = (event.args?.data ?? {}) as {
      startTime?: number;
      cpuProfile?: { nodes?: (Node & { id: number })[]; samples?: number[] };
      timeDeltas?: number[];
    };
    if (event.name === 'Profile') {
      profiles.set(key, { pid: event.pid, time: data.startTime ?? event.ts, nodes: new Map() });
      continue;
    }
    const profile = profiles.get(key);
    if (!profile) continue;
    for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
    (data.cpuProfile?.samples ?? []).forEach((id, index) => {
      const delta = data.timeDeltas?.[index] ?? 0;
      profile.time += delta;
      const callFrame = profile.nodes.get(id)?.callFrame;
      const functionName = callFrame?.functionName || '(anonymous)';
      if (!callFrame || NOT_JS.has(functionName)) return;
      frames.push({
        pid: profile.pid,
        ts: profile.time,
        micros: Math.max(delta, 0),
        frame: { functionName, url: callFrame.url ?? '', line: (callFrame.lineNumber ?? 0) + 1 },
      });
    });
  }
  return frames;
}

function top(entries: LongTaskFunction[], limit = 5): LongTaskFunction[] {
  const merged = new Map<string, LongTaskFunction>();
  for (const entry of entries) {
    const key = `${entry.functionName}\u0000${entry.url}\u0000${entry.line}`;
    const same = merged.get(key);
    if (same) same.ms += entry.ms;
    else merged.set(key, { ...entry });
  }
  return [...merged.values()].sort((a, b) => b.ms - a.ms).slice(0, limit);
}

function eventsOf(trace: ChromeTrace): TraceEvent[] {
  return Array.isArray(trace) ? trace : trace.traceEvents;
}

function nameArg(event: TraceEvent): unknown {
  return (event.args as { name?: unknown } | undefined)?.name;
}
