import { createReadStream, existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REQUEST_ID_PATTERN } from '@tandem/contract';
import { collectRequestTrace, repoRoot } from '@tandem/local-stack';
import { formatTrace } from './format-trace.js';

/** Where `npm run demo` appends the API's pino lines (scripts/demo.mjs). */
export const DEFAULT_API_LOG = join(repoRoot, '.data', 'logs', 'api.ndjson');

const USAGE = `Usage: pnpm trace <request-id> [--log <file> | --log -]
  Prints one request's browser record (RUM), server log lines and Server-Timing.
  --log <file>  the API's pino NDJSON log (default: .data/logs/api.ndjson, written by npm run demo)
  --log -       read the log from standard input`;

/**
 * `pnpm trace <request-id>`. Exit 0 when the id is found in at least one source (a
 * missing side is said in the output), 1 when it is found nowhere, 2 for a usage error.
 */
async function main(args: string[]): Promise<number> {
  let requestId: string | undefined;
  let log = DEFAULT_API_LOG;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    // pnpm passes a `--` through when the caller wrote one.
    if (arg === '--') continue;
    if (arg === '--log') {
      const value = args[++index];
      if (!value) return usage('--log needs a file, or - for standard input.');
      // pnpm runs the script in observability/: a relative path is the caller's.
      log = value === '-' || isAbsolute(value) ? value : resolve(process.env.INIT_CWD ?? process.cwd(), value);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith('-')) {
      return usage(`Unknown option ${arg}.`);
    } else if (requestId === undefined) {
      requestId = arg;
    } else {
      return usage(`One request id at a time (got ${requestId} and ${arg}).`);
    }
  }
  if (!requestId)
    return usage('Give the request id (the X-Request-ID header of a response, or requestId in a log line).');
  if (!REQUEST_ID_PATTERN.test(requestId)) {
    return usage(`"${requestId}" is not a request id: 1–128 of A–Z a–z 0–9 . _ : - (${REQUEST_ID_PATTERN}).`);
  }
  if (log !== '-' && !existsSync(log)) {
    console.error(`No log file at ${log}. Start the API with npm run demo (it writes this file) or pass --log <file>.`);
    return 2;
  }

  const input = log === '-' ? process.stdin : createReadStream(log, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const trace = await collectRequestTrace(lines, requestId);
  process.stdout.write(formatTrace(trace, log === '-' ? 'standard input' : log));
  return trace.browser.length + trace.server.length > 0 ? 0 : 1;
}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
