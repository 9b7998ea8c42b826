// A child process that holds many SSE streams on the API and counts what arrives.
// Started by run.ts with fork(); talks over IPC: { cmd: 'snapshot' } → counts so far.
import { type ClientHttp2Session, connect } from 'node:http2';

interface Options {
  origin: string;
  /** The session cookie every stream sends (the event stream needs a signed-in account). */
  cookie: string;
  connections: number;
  streamsPerConnection: number;
  /** Parse the `at` of every event to measure publish → receipt delay (costs CPU). */
  measureDelay: boolean;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const sessions: ClientHttp2Session[] = [];
let events = 0;
let openStreams = 0;
let failedStreams = 0;
let delays: number[] = [];
const DOUBLE_NEWLINE = 0x0a;
const AT = /"at":"([^"]+)"/g;

for (let c = 0; c < options.connections; c++) {
  const session = connect(options.origin, { rejectUnauthorized: false, settings: { initialWindowSize: 1 << 20 } });
  session.on('error', () => {});
  // Browsers open a large connection window (Chromium: 15 MB); Node's default is 64 KB.
  session.on('connect', () => session.setLocalWindowSize(15 * 1024 * 1024));
  sessions.push(session);
  for (let s = 0; s < options.streamsPerConnection; s++) {
    const stream = session.request({ ':path': '/api/v1/events', accept: 'text/event-stream', cookie: options.cookie });
    let previousEndedWithNewline = false;
    stream.on('response', (headers) => {
      if (headers[':status'] === 200) openStreams++;
      else failedStreams++;
    });
    stream.on('data', (chunk: Buffer) => {
      // An event ends with a blank line: count "\n\n", also when split across chunks.
      if (previousEndedWithNewline && chunk[0] === DOUBLE_NEWLINE) events++;
      let index = chunk.indexOf('\n\n');
      while (index !== -1) {
        events++;
        index = chunk.indexOf('\n\n', index + 2);
      }
      previousEndedWithNewline = chunk[chunk.length - 1] === DOUBLE_NEWLINE;
      if (options.measureDelay) {
        const now = Date.now();
        for (const match of chunk.toString('latin1').matchAll(AT)) delays.push(now - Date.parse(match[1] as string));
      }
    });
    stream.on('close', () => {
      openStreams = Math.max(0, openStreams - 1);
    });
    stream.on('error', () => {});
  }
}

process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'snapshot') {
    process.send?.({ events, openStreams, failedStreams, delays });
    delays = [];
  } else if (message.cmd === 'stop') {
    for (const session of sessions) session.destroy();
    process.exit(0);
  }
});
process.send?.({ ready: true });
