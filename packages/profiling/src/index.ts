export { cpuProfileToPprof, encodePprof } from './cpu-profile-to-pprof.js';
export * from './flame-graph.js';
export {
  diffHeapSnapshots,
  type HeapClassDelta,
  type HeapSnapshotSummary,
  summarizeHeapSnapshot,
} from './heap-snapshot-diff.js';
export * from './inspector-profiler.js';
export {
  BROWSER_TRACE_CATEGORIES,
  type JointRecording,
  type JointRecordingOptions,
  recordJointProfile,
} from './joint-recording.js';
export { type ProfileFiles, writeProfileFiles } from './profile-files.js';
export { type ProfileRunOptions, type ProfileSummary, profileScenario } from './profile-scenario.js';
export { SCENARIO_NAMES, type ScenarioName } from './scenarios.js';
export { type SelfTimeEntry, topSelfTime } from './top-self-time.js';
export {
  type ChromeTrace,
  type LongTask,
  type LongTaskFunction,
  longTasks,
  rendererMainThreads,
  type TraceEvent,
} from './trace-long-tasks.js';
