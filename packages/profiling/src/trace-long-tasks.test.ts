import { describe, expect, it } from 'vitest';
import { type ChromeTrace, longTasks, rendererMainThreads, type TraceEvent } from './trace-long-tasks.js';

const MAIN = { pid: 10, tid: 1 };
const meta = (pid: number, tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  ts: 0,
  args: { name },
});
const task = (ts: number, durMs: number, where = MAIN): TraceEvent => ({
  name: 'RunTask',
  cat: 'disabled-by-default-devtools.timeline',
  ph: 'X',
  ...where,
  ts,
  dur: durMs * 1000,
});
const call = (ts: number, durMs: number, functionName: string): TraceEvent => ({
  name: 'FunctionCall',
  cat: 'devtools.timeline',
  ph: 'X',
  ...MAIN,
  ts,
  dur: durMs * 1000,
  args: { data: { functionName, url: 'https://localhost/assets/app.js', lineNumber: 6 } },
});

/** A renderer main thread, a compositor thread, three tasks; the sampler saw `render` then `sort` in the long one. */
const TRACE: ChromeTrace = {
  traceEvents: [
    meta(10, 1, 'CrRendererMain'),
    meta(10, 2, 'Compositor'),
    task(1_000_000, 120),
    task(1_010_000, 30), // nested in the first: not a task of its own
    task(2_000_000, 20),
    task(3_000_000, 80, { pid: 10, tid: 2 }), // long, but not on the main thread
    task(4_000_000, 60),
    call(4_000_500, 55, 'onClick'),
    { name: 'Profile', ph: 'P', ...MAIN, id: '0x1', ts: 999_000, args: { data: { startTime: 999_000 } } },
    {
      name: 'ProfileChunk',
      ph: 'P',
      pid: 10,
      tid: 7,
      id: '0x1',
      ts: 1_200_000,
      args: {
        data: {
          cpuProfile: {
            nodes: [
              { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
              { id: 2, callFrame: { functionName: 'render', url: 'https://localhost/assets/app.js', lineNumber: 9 } },
              { id: 3, callFrame: { functionName: 'sort', url: 'https://localhost/assets/vendor.js', lineNumber: 0 } },
              { id: 4, callFrame: { functionName: '(program)', url: '', lineNumber: -1 } },
            ],
            samples: [2, 2, 2, 3, 4, 2],
          },
          // From 999 ms: samples at 1001, 1011, 1021, 1031, 1041 ms (inside the 1000–1120 ms task), then 3041 ms.
          timeDeltas: [2_000, 10_000, 10_000, 10_000, 10_000, 2_000_000],
        },
      },
    },
  ],
};

describe('longTasks', () => {
  it('finds the renderer main thread', () => {
    expect(rendererMainThreads(TRACE)).toEqual([MAIN]);
  });

  it('lists the outermost main-thread tasks over 50 ms, longest first, with the JS inside', () => {
    const tasks = longTasks(TRACE);
    // Start times from the trace's first timed event (the Profile event, at 999 ms).
    expect(tasks.map((t) => [t.durationMs, t.startMs])).toEqual([
      [120, 1],
      [60, 3001],
    ]);
    expect(tasks[0]?.functionsFrom).toBe('samples');
    // Each sample weighs the gap before it: render 2 + 10 + 10 ms (its last sample is after the task); (program) is not JS.
    expect(tasks[0]?.topFunctions).toEqual([
      { functionName: 'render', url: 'https://localhost/assets/app.js', line: 10, ms: 22 },
      { functionName: 'sort', url: 'https://localhost/assets/vendor.js', line: 1, ms: 10 },
    ]);
    expect(tasks[1]?.functionsFrom).toBe('function-calls');
    expect(tasks[1]?.topFunctions).toEqual([
      { functionName: 'onClick', url: 'https://localhost/assets/app.js', line: 7, ms: 55 },
    ]);
  });

  it('takes another threshold and reads a bare event array', () => {
    const events = 'traceEvents' in TRACE ? TRACE.traceEvents : TRACE;
    expect(longTasks(events, 10).map((t) => t.durationMs)).toEqual([120, 60, 20]);
    expect(longTasks(events, 200)).toEqual([]);
  });
});
