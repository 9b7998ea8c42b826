// The CPU a run has used: its own and that of every process it started and waited for.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, as /proc counts CPU time (100 on Linux, but asked, not assumed). */
let ticksPerSecond;

/**
 * User + system CPU seconds of this process and of its waited-for descendants (Linux's
 * /proc/self/stat: a process's children's time lands in it once they have ended and been
 * waited for, their own children's included). Null where /proc is not there.
 * @returns {number | null}
 */
export function runCpuSeconds() {
  let stat;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return null;
  }
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // The fields after the command's closing parenthesis: state is the 3rd, utime the 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) => Number(fields[index]));
  return ((utime ?? 0) + (stime ?? 0) + (cutime ?? 0) + (cstime ?? 0)) / ticksPerSecond;
}
