export { ConfigError, type Environment } from './config-error.js';
export { type ClosableServer, shutdownOnSignals } from './shutdown-on-signals.js';
