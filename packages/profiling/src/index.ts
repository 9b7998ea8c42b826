export * from './flame-graph.js';
export * from './inspector-profiler.js';
