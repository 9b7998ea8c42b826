import { request } from 'node:https';
import { OrderPageEnvelope } from '@tandem/contract';
import { median } from '@tandem/local-stack';
import type { LabReport } from '../lib/lab-report.js';
import { defineLab } from '../lib/measurement/define-lab.js';
import { perMode } from '../lib/measurement/interleave.js';
import { MODE_COLORS } from '../lib/measurement/mode-chart.js';
import { renderLineChart } from '../lib/svg-chart.js';
import { loadSpaLabs, type SpaLabs } from './spa-labs.js';

/** The SPA's lab layer, loaded by the lab's prepare step (not at import: the catalogue imports every lab's file). */
let spaLabs: SpaLabs | undefined;
/** The SPA's naive client path, run in Node: the same module the browser loads. */
function naiveSuccessData(json: unknown): unknown {
  if (!spaLabs) throw new Error('the date-codec lab loads the SPA lab layer in its prepare step');
  return spaLabs.naiveSuccessData(json);
}

/** The API runs in UTC, as in most containers; the person reading the SPA does not. */
export const SERVER_ZONE = 'UTC';
export const CLIENT_ZONE = 'America/Sao_Paulo';

type Verdict = 'correct' | 'shifted' | 'zero' | 'wrongType' | 'rejected';
export type Tally = Record<Verdict, number> & {
  read: number;
  shiftMinutes: number[];
  /** Wrong timestamps (shifted, zero, not a Date) after each order read. */
  trail: number[];
};

export interface DateCodecRun {
  orders: number;
  serverZone: string;
  clientZone: string;
  /** The lab's two settings (server and SPA flip together), and the two mixed ones for contrast. */
  combos: Record<'naive' | 'tuned' | 'naiveServerTunedClient' | 'tunedServerNaiveClient', Tally>;
  /** A sample of what one order's createdAt looked like on the wire in each server setting. */
  wireSample: { naive: string; tuned: string };
  /** Tuned server: a cursor whose date is not RFC 3339 UTC. */
  badCursor: { status: number; field: string | undefined };
  /** Microseconds to read 1,000 orders from JSON text, median of the repetitions. */
  cost: CodecCost[];
}

export interface CodecCost {
  objects: number;
  plainParse: number;
  codecDecode: number;
  adHocRevive: number;
  repetitions: number;
}

interface Created {
  id: string;
  sentAt: number;
  answeredAt: number;
}

/**
 * date-codec: N orders created through the real API, read back page by page in each
 * setting and decoded by the SPA's client code in Node with the reader's zone set to
 * CLIENT_ZONE: tuned through the contract's codec (what src/api/client.ts `readAnswer`
 * does), naive through apps/web/src/labs/naive-dates.ts (`@tandem/web/labs`). A timestamp is correct when it lies
 * between the moment its POST was sent and the moment it was answered.
 */
export const dateCodecLab = defineLab({
  id: 'date-codec',
  settings: (smoke) => ({ rounds: 1, orders: smoke ? 40 : 400, costRepetitions: smoke ? 15 : 60 }),
  servers: { api: { note: `TZ=${SERVER_ZONE}`, env: { TZ: SERVER_ZONE }, rateLimit: 'lifted' } },
  prepare: async ({ stack: { api, admin }, settings: { orders }, progress }) => {
    spaLabs ??= await loadSpaLabs();
    await admin.setMode('serialization', 'tuned');
    await admin.setMode('date-codec', 'tuned');
    progress(`creating ${orders} orders`);
    const created: Created[] = [];
    for (let n = 0; n < orders; n++) {
      const sentAt = Date.now();
      const answer = await send(api.origin, api.sessions.user, 'POST', '/api/v1/orders', {
        customer: `date-codec lab ${n}`,
        items: [{ sku: 'LAB-DATE-CODEC', qty: 1, price: 1 }],
      });
      const answeredAt = Date.now();
      if (answer.status !== 201) throw new Error(`POST /api/v1/orders → ${answer.status}: ${answer.body}`);
      created.push({ id: (JSON.parse(answer.body) as { data: { id: string } }).data.id, sentAt, answeredAt });
    }
    return { created };
  },
  measure: ({ stack, settings, progress }) => {
    progress('reading them back, 100 per page');
    return readPages(stack.api.origin, stack.api.sessions.user, settings.orders);
  },
  // Back at tuned: the server's answer to a date that is not RFC 3339 UTC, then the client's decode cost.
  afterRounds: async ({ stack, settings, ctx, progress }, rows) => {
    const cursor = btoa(JSON.stringify({ createdAt: '2026-11-24 09:30:00.000', id: ctx.created[0]?.id }));
    const badCursor = await send(
      stack.api.origin,
      stack.api.sessions.user,
      'GET',
      `/api/v1/orders?cursor=${cursor.replace(/=+$/, '')}`,
    );
    progress('timing the decode of 1,000 orders: JSON.parse, + codec, + ad hoc revive');
    return {
      badCursor: {
        status: badCursor.status,
        field: (JSON.parse(badCursor.body) as { data?: { issues?: { path: string }[] } }).data?.issues?.[0]?.path,
      },
      cost: measureCodecCost(perMode(rows).tuned, settings.costRepetitions),
    };
  },
  summarise: (rows, { settings, ctx, extra }): DateCodecRun => {
    const bodies = perMode(rows);
    const byId = new Map(ctx.created.map((order) => [order.id, order]));
    const tally = (pages: string[], client: 'naive' | 'tuned') => withClientZone(() => judge(pages, client, byId));
    return {
      orders: settings.orders,
      serverZone: SERVER_ZONE,
      clientZone: CLIENT_ZONE,
      combos: {
        naive: tally(bodies.naive, 'naive'),
        tuned: tally(bodies.tuned, 'tuned'),
        naiveServerTunedClient: tally(bodies.naive, 'tuned'),
        tunedServerNaiveClient: tally(bodies.tuned, 'naive'),
      },
      wireSample: { naive: firstCreatedAt(bodies.naive), tuned: firstCreatedAt(bodies.tuned) },
      badCursor: extra.badCursor,
      cost: extra.cost,
    };
  },
  method: (run) => {
    const cost = costOf1000(run);
    return `${run.orders} orders created through the real API (TZ=${run.serverZone}), read back 100 per page, decoded by the SPA's client code in Node with TZ=${run.clientZone}; a timestamp is correct when it lies between its POST being sent and answered. Decode cost: JSON.parse and the SPA's read of the data, median of ${cost.repetitions} reads of 1,000 orders (JSON.parse alone: ${cost.plainParse.toFixed(0)} µs; 250 and 500 in cost.svg)`;
  },
  table: (run) => {
    const cost = costOf1000(run);
    const rows: [string, Tally, 'naive' | 'tuned'][] = [
      ['naive (server database text, SPA new Date())', run.combos.naive, 'naive'],
      ['tuned (codec on both sides)', run.combos.tuned, 'tuned'],
      ['mixed: naive server, tuned SPA', run.combos.naiveServerTunedClient, 'tuned'],
      ['mixed: tuned server, naive SPA', run.combos.tunedServerNaiveClient, 'naive'],
    ];
    return {
      columns: [
        'setting',
        'read',
        'correct',
        'shifted',
        'zero / Invalid Date',
        'not a Date',
        'rejected (BAD_RESPONSE)',
        'SPA decode of 1,000 orders',
      ],
      rows: rows.map(([name, tally, client]) => [
        name,
        String(tally.read),
        String(tally.correct),
        String(tally.shifted),
        String(tally.zero),
        String(tally.wrongType),
        String(tally.rejected),
        `${(client === 'tuned' ? cost.codecDecode : cost.adHocRevive).toFixed(0)} µs`,
      ]),
    };
  },
  verdicts: (run) => {
    const shift = run.combos.naive.shiftMinutes.length ? median(run.combos.naive.shiftMinutes) : 0;
    return [
      {
        target: 'tuned: 0 wrong timestamps',
        met: wrongOf(run.combos.tuned) === 0 && run.combos.tuned.correct === run.orders,
        detail: `${run.combos.tuned.correct} of ${run.orders} correct (wire: ${run.wireSample.tuned})`,
      },
      {
        target: 'naive: wrong timestamps, silently',
        met: wrongOf(run.combos.naive) > 0 && run.combos.naive.rejected === 0,
        detail: `${wrongOf(run.combos.naive)} of ${run.orders} wrong, median shift ${shift} min (wire: ${run.wireSample.naive}, read in ${run.clientZone})`,
      },
      {
        target: 'tuned server: a date that is not RFC 3339 UTC is a 400 naming the field',
        met: run.badCursor.status === 400 && run.badCursor.field === 'query.cursor',
        detail: `a cursor carrying 2026-11-24 09:30:00.000 → ${run.badCursor.status}, field ${run.badCursor.field ?? '(none)'}`,
      },
    ];
  },
  chart: (run) => ({
    title: `Wrong timestamps while reading orders (server ${run.serverZone}, reader ${run.clientZone})`,
    xLabel: 'orders read back',
    yLabel: 'wrong timestamps so far',
    points: (mode) => {
      const { trail } = run.combos[mode];
      const step = Math.max(1, Math.floor(trail.length / 40));
      return [
        { x: 0, y: 0 },
        ...trail.flatMap((wrong, n) =>
          (n + 1) % step === 0 || n === trail.length - 1 ? [{ x: n + 1, y: wrong }] : [],
        ),
      ];
    },
  }),
  files: (run): LabReport['files'] => [
    {
      name: 'cost.svg',
      caption: 'Decode cost by number of orders',
      content: renderLineChart({
        title: 'Reading orders from JSON text: decode cost',
        xLabel: 'orders in the answer',
        yLabel: 'µs (median)',
        series: [
          { name: 'JSON.parse', color: '#64748b', points: run.cost.map((c) => ({ x: c.objects, y: c.plainParse })) },
          {
            name: '+ DateTime codec',
            color: MODE_COLORS.tuned,
            points: run.cost.map((c) => ({ x: c.objects, y: c.codecDecode })),
          },
          {
            name: '+ ad hoc new Date()',
            color: MODE_COLORS.naive,
            points: run.cost.map((c) => ({ x: c.objects, y: c.adHocRevive })),
          },
        ],
      }),
    },
  ],
});

/** Reads with the reader's time zone, CLIENT_ZONE, as the SPA would in its browser. */
function withClientZone<T>(read: () => T): T {
  const zone = process.env.TZ;
  process.env.TZ = CLIENT_ZONE;
  try {
    return read();
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
}

async function readPages(origin: string, cookie: string, wanted: number): Promise<string[]> {
  const pages: string[] = [];
  let cursor: string | null = null;
  let seen = 0;
  while (seen < wanted) {
    const page = await send(origin, cookie, 'GET', `/api/v1/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    if (page.status !== 200) throw new Error(`GET /api/v1/orders → ${page.status}: ${page.body}`);
    pages.push(page.body);
    const data = (JSON.parse(page.body) as { data: { items: unknown[]; nextCursor: string | null } }).data;
    seen += data.items.length;
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return pages;
}

function firstCreatedAt(pages: string[]): string {
  return (
    (JSON.parse(pages[0] ?? '{}') as { data?: { items?: { createdAt?: string }[] } }).data?.items?.[0]?.createdAt ?? ''
  );
}

/** Reads each page as the SPA would in one setting and sorts every created order's timestamp into a verdict. */
function judge(pages: string[], client: 'naive' | 'tuned', created: Map<string, Created>): Tally {
  const tally: Tally = {
    read: 0,
    correct: 0,
    shifted: 0,
    zero: 0,
    wrongType: 0,
    rejected: 0,
    shiftMinutes: [],
    trail: [],
  };
  for (const body of pages) {
    const json: unknown = JSON.parse(body);
    const wireItems = (json as { data: { items: { id: string }[] } }).data.items.filter((item) => created.has(item.id));
    if (client === 'tuned') {
      // src/api/client.ts readAnswer: the contract's schema decodes, or the answer is a BAD_RESPONSE error.
      const decoded = OrderPageEnvelope.safeDecode(json as never);
      if (!decoded.success) {
        for (const _ of wireItems) {
          tally.read++;
          tally.rejected++;
          tally.trail.push(wrongOf(tally));
        }
        continue;
      }
      for (const order of decoded.data.data.items) sort(order.id, order.createdAt);
    } else {
      const data = naiveSuccessData(json) as { items: { id: string; createdAt: unknown }[] };
      for (const order of data.items) sort(order.id, order.createdAt);
    }
  }
  return tally;

  function sort(id: string, createdAt: unknown) {
    const truth = created.get(id);
    if (!truth) return;
    tally.read++;
    if (!(createdAt instanceof Date)) tally.wrongType++;
    else if (Number.isNaN(createdAt.getTime()) || createdAt.getTime() <= 0) tally.zero++;
    else if (createdAt.getTime() >= truth.sentAt - 1 && createdAt.getTime() <= truth.answeredAt + 1) tally.correct++;
    else {
      tally.shifted++;
      tally.shiftMinutes.push(Math.round((createdAt.getTime() - truth.sentAt) / 60_000));
    }
    tally.trail.push(wrongOf(tally));
  }
}

/** The cost of reading N orders from the wire text: JSON.parse alone, with the contract's codec, with the ad hoc reviver. */
function measureCodecCost(pages: string[], repetitions: number): CodecCost[] {
  const items = pages.flatMap((body) => (JSON.parse(body) as { data: { items: unknown[] } }).data.items);
  return [250, 500, 1000].map((objects) => {
    const page = Array.from({ length: objects }, (_, n) => items[n % items.length]);
    const text = JSON.stringify({
      code: 200,
      message: 'OK',
      data: { items: page, nextCursor: null },
      timestamp: new Date().toISOString(),
    });
    const time = (read: () => unknown) => {
      for (let n = 0; n < 5; n++) read();
      const samples: number[] = [];
      for (let n = 0; n < repetitions; n++) {
        const start = process.hrtime.bigint();
        read();
        samples.push(Number(process.hrtime.bigint() - start) / 1000);
      }
      return median(samples);
    };
    return {
      objects,
      plainParse: time(() => JSON.parse(text)),
      codecDecode: time(() => OrderPageEnvelope.decode(JSON.parse(text))),
      adHocRevive: time(() => naiveSuccessData(JSON.parse(text))),
      repetitions,
    };
  });
}

/** One request as the account whose session `cookie` is. */
function send(
  origin: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${origin}${path}`,
      {
        method,
        rejectUnauthorized: false,
        headers: payload ? { 'content-type': 'application/json', cookie } : { cookie },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const wrongOf = (tally: Tally) => tally.shifted + tally.zero + tally.wrongType;

/** The decode cost of 1,000 orders (the largest size measured). */
function costOf1000(run: DateCodecRun): CodecCost {
  const cost = run.cost.find((entry) => entry.objects === 1000) ?? run.cost[run.cost.length - 1];
  if (!cost) throw new Error('no codec cost measured');
  return cost;
}
