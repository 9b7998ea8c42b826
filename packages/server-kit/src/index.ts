export { ConfigError, type Environment } from './config-error.js';
export { type ClosableServer, type ShutdownDrain, shutdownOnSignals } from './shutdown-on-signals.js';
export {
  explainListenError,
  type ListenTarget,
  loadConfigOrFail,
  portTakenMessage,
  runServer,
  StartUpFailure,
} from './start-up-failure.js';
