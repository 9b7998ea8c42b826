import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicksPerSecond: number | undefined;
/** `getconf CLK_TCK`: the unit of /proc's CPU times (100 on Linux, read once). */
function ticksPerSecond(): number {
  clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicksPerSecond;
}

/**
 * CPU time (user + system, ms) spent so far by the live processes of one process group, read
 * from /proc: a server started by ServerProcess is its own group (tsx and the node it runs
 * together), so the difference of two readings is what the server spent between them.
 * A process that exits between readings takes its time with it; servers do not. Linux only.
 */
export function processGroupCpuMs(groupId: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    // Fields after the command name, which is in parentheses and may hold spaces:
    // state(3) ppid(4) pgrp(5) … utime(14) stime(15), counted from 1.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== groupId) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond();
}
