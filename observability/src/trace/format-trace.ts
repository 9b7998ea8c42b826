import { type BrowserRecord, parseServerTiming, type RequestTrace, type ServerLine } from '@tandem/local-stack';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
const iso = (time: number | undefined) => (time === undefined ? '—' : new Date(time).toISOString());

/** Rows of cells as aligned columns. */
function table(rows: string[][], indent = '  '): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) => `${indent}${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd())
    .join('\n');
}

function browserSection({ loggedAt, app, sample }: BrowserRecord): string {
  const phases = sample.phases;
  const rows = [
    ['call', `${sample.method} ${sample.route} → ${sample.status === 0 ? 'no answer (0)' : sample.status}`],
    ['protocol', sample.protocol],
    ['page', sample.page],
    ['attempt', String(sample.attempt)],
    ['duration', ms(sample.durationMs)],
    [
      'phases',
      phases
        ? `dns ${ms(phases.dnsMs)} · connect ${ms(phases.connectMs)} (tls ${ms(phases.tlsMs)}) · request ${ms(phases.requestMs)} · response ${ms(phases.responseMs)}`
        : 'none (no Resource Timing entry)',
    ],
    [
      'Server-Timing read',
      sample.server
        ? `app ${ms(sample.server.appMs)} · db ${ms(sample.server.dbMs)}`
        : 'none (not exposed or not sent)',
    ],
    ['beacon logged', `${iso(loggedAt)}${app ? ` (from ${app})` : ''}`],
  ];
  return table(rows);
}

function serverSection(lines: ServerLine[]): string {
  const rows = [['time', 'level', 'msg', 'statusCode', 'responseTime', 'detail']];
  for (const line of lines) {
    const detail = [
      line.method && line.url ? `${line.method} ${line.url}` : '',
      line.error ? `error ${line.error}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    rows.push([
      iso(line.time),
      line.level === undefined ? '—' : (LEVELS[line.level] ?? String(line.level)),
      line.msg,
      line.statusCode === undefined ? '—' : String(line.statusCode),
      ms(line.responseTime),
      detail,
    ]);
  }
  return table(rows);
}

/** The request's browser record, server lines and Server-Timing, in sections, then side by side. */
export function formatTrace(trace: RequestTrace, source: string): string {
  const out: string[] = [`Request ${trace.requestId} (${trace.linesRead} lines read from ${source})`, ''];

  if (trace.browser.length === 0) {
    out.push(
      `Browser: not found — no "rum api-call" line has rum.requestId = ${trace.requestId} in ${source}.`,
      '  The SPA beacons its samples in batches (on a timer and when the page is hidden): the batch may not',
      '  have been sent yet, or the call was not made by the SPA.',
    );
  } else {
    trace.browser.forEach((record, index) => {
      const count = trace.browser.length > 1 ? ` (${index + 1} of ${trace.browser.length})` : '';
      out.push(`Browser (the SPA's record)${count}`, browserSection(record));
    });
  }
  out.push('');

  const sent = trace.server.find((line) => line.serverTiming !== undefined)?.serverTiming;
  const completed = trace.server.find((line) => line.responseTime !== undefined);
  if (trace.server.length === 0) {
    out.push(
      `Server: not found — no log line has requestId = ${trace.requestId} in ${source}.`,
      '  Is LOG_LEVEL at info or below, and is this the log of the run that served the request?',
    );
  } else {
    out.push(`Server (${trace.server.length} log lines)`, serverSection(trace.server), '');
    out.push(
      sent
        ? `Server-Timing sent\n  ${sent}`
        : 'Server-Timing sent: not in the log (no completion line with serverTiming for this request).',
    );
  }

  const browser = trace.browser.at(-1)?.sample;
  if (browser && trace.server.length > 0) {
    const sentTiming = sent ? parseServerTiming(sent) : {};
    const outside =
      completed?.responseTime !== undefined ? Math.max(browser.durationMs - completed.responseTime, 0) : undefined;
    out.push(
      '',
      'Side by side',
      table([
        ['', 'browser', 'server'],
        ['total', ms(browser.durationMs), `${ms(completed?.responseTime)} (responseTime)`],
        ['app (Server-Timing)', ms(browser.server?.appMs), ms(sentTiming.appMs)],
        ['db (Server-Timing)', ms(browser.server?.dbMs), ms(sentTiming.dbMs)],
        ['status', String(browser.status), completed?.statusCode === undefined ? '—' : String(completed.statusCode)],
        ['outside the server', ms(outside), '(browser total − responseTime: network, TLS, queueing)'],
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}
