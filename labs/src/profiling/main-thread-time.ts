import { type ChromeTrace, rendererMainThreads, type TraceEvent } from '@tandem/profiling';

/** Trace events that are the page's JavaScript running (the Performance panel's "Scripting"). */
const SCRIPTING = new Set([
  'EvaluateScript',
  'v8.evaluateModule',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'RunMicrotasks',
  'v8.run',
]);
/** Style, layout and paint of the page (the panel's "Rendering" and "Painting"). */
const RENDERING = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'UpdateLayer']);

export interface MainThreadTime {
  scriptingMs: number;
  renderingMs: number;
}

/**
 * Milliseconds the renderer main thread spent running script, and on style/layout/paint,
 * over the whole trace. Nested events of one kind (a FunctionCall inside an EventDispatch)
 * are counted once: the union of their intervals.
 */
export function mainThreadTime(trace: ChromeTrace): MainThreadTime {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const main = rendererMainThreads(trace);
  const onMain = events.filter(
    (event) => event.ph === 'X' && main.some((thread) => thread.pid === event.pid && thread.tid === event.tid),
  );
  return {
    scriptingMs: unionMs(onMain.filter((event) => SCRIPTING.has(event.name))),
    renderingMs: unionMs(onMain.filter((event) => RENDERING.has(event.name))),
  };
}

function unionMs(events: TraceEvent[]): number {
  const spans = events.map((event) => [event.ts, event.ts + (event.dur ?? 0)] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (from > end) {
      if (end > start) total += end - start;
      start = from;
      end = to;
    } else if (to > end) end = to;
  }
  if (end > start) total += end - start;
  return total / 1000;
}
