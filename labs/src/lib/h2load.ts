import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const H2LOAD = '/usr/bin/h2load';

export interface H2LoadOptions {
  url: string;
  durationSeconds: number;
  clients: number;
  /** Concurrent streams per client (HTTP/2 multiplexing). */
  streams: number;
  /** Pin the load generator to these CPUs (`taskset -c`), away from the server's. */
  cpuList?: string;
}

export interface H2LoadResult {
  requestsPerSecond: number;
  succeeded: number;
  failed: number;
  /** How many answers had each status class, e.g. `{ '2xx': 1200 }`. */
  statusClasses: Record<string, number>;
}

/** Reads h2load's summary: `finished in 5.00s, 1234.50 req/s, …` and the request and status lines. */
export function parseH2LoadOutput(output: string): H2LoadResult {
  const rate = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(output);
  const requests = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed/.exec(output);
  const statuses = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output);
  if (!rate || !requests || !statuses) throw new Error(`Cannot read h2load's output:\n${output}`);
  return {
    requestsPerSecond: Number(rate[1]),
    succeeded: Number(requests[1]),
    failed: Number(requests[2]),
    statusClasses: {
      '2xx': Number(statuses[1]),
      '3xx': Number(statuses[2]),
      '4xx': Number(statuses[3]),
      '5xx': Number(statuses[4]),
    },
  };
}

/** Runs h2load (Debian's nghttp2-client) over HTTP/2 for a fixed time with a fixed number of clients and streams. */
export function runH2Load(options: H2LoadOptions): Promise<H2LoadResult> {
  if (!existsSync(H2LOAD)) throw new Error(`${H2LOAD} is missing: apt-get install nghttp2-client`);
  const args = [
    '-D',
    String(options.durationSeconds),
    '-c',
    String(options.clients),
    '-m',
    String(options.streams),
    '-t',
    '1',
    options.url,
  ];
  const [command, commandArgs] = options.cpuList
    ? ['taskset', ['-c', options.cpuList, H2LOAD, ...args]]
    : [H2LOAD, args];
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { timeout: (options.durationSeconds + 30) * 1000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`h2load failed: ${error.message}\n${stdout}\n${stderr}`));
      else {
        try {
          resolve(parseH2LoadOutput(stdout));
        } catch (parseError) {
          reject(parseError);
        }
      }
    });
  });
}
