// A command that starts one server and waits, as `pnpm lab` does (run by exit-on-signals.test.ts).
// argv: <log file> <"handled" | "unhandled">
import { exitOnSignals } from './exit-on-signals.js';
import { ServerProcess } from './server-process.js';

const [logFile = '', mode = 'handled'] = process.argv.slice(2);
if (mode === 'handled') exitOnSignals(() => {});
ServerProcess.start({
  name: 'idle server',
  command: process.execPath,
  // The pid written plainly (console.log colours a number when FORCE_COLOR is set, as npm test sets it).
  args: ['-e', 'process.stdout.write(process.pid + "\\n"); setInterval(() => {}, 1_000);'],
  cwd: process.cwd(),
  env: process.env,
  logFile,
});
console.log('started');
setInterval(() => {}, 1_000);
