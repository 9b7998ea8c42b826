import { connect } from 'node:http2';
import { h2Request } from '@tandem/local-stack';

const FIRST = [
  'Ada',
  'Åsa',
  'Björn',
  'Chloé',
  'Dagný',
  'Émile',
  'Fatma',
  'Gösta',
  'Hélène',
  'Ines',
  'Jürgen',
  'Kāne',
  'Łucja',
  'Mónica',
  'Nils',
  'Øystein',
  'Paweł',
  'Quentin',
  'Renée',
  'Søren',
  'Tomás',
  'Ulla',
  'Vít',
  'Zoë',
];
const LAST = [
  'Adams',
  'Ångström',
  'Berg',
  'Çelik',
  'Dvořák',
  'Eriksson',
  'Fernández',
  'García',
  'Hämäläinen',
  'Ibáñez',
  'Jansen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  'Novák',
  'Olsen',
  'Peña',
  'Rossi',
  'Schäfer',
  'Søndergaard',
  'Tanaka',
  'Úlfarsson',
  'Weiß',
];

/**
 * `count` distinct customer names as a shop abroad has them: accents, mixed case, and a
 * branch number for the big accounts (so "… 2" and "… 10" test the numeric collation).
 * Deterministic, so every run sorts the same list.
 */
export function customerNames(count: number): string[] {
  const names: string[] = [];
  for (let n = 0; names.length < count; n++) {
    const first = FIRST[n % FIRST.length];
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
    const branch = Math.floor(n / (FIRST.length * LAST.length));
    names.push(branch === 0 ? `${first} ${last}` : `${first} ${last} ${branch + 1}`);
  }
  return names;
}

/**
 * One order per name through the real API (POST /api/v1/orders over one HTTP/2
 * connection, `inFlight` at a time, as the account whose session `cookie` is), so the
 * customers report has that many rows.
 */
export async function createCustomers(
  origin: string,
  cookie: string,
  names: readonly string[],
  inFlight = 16,
): Promise<void> {
  const session = connect(origin, { rejectUnauthorized: false });
  session.on('error', () => {});
  const post = async (customer: string, n: number) => {
    const answer = await h2Request(session, {
      method: 'POST',
      path: '/api/v1/orders',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ customer, items: [{ sku: 'LAB-PROFILING', qty: 1 + (n % 3), price: 9.5 }] }),
    });
    if (answer.status !== 201) throw new Error(`POST /api/v1/orders → ${answer.status}: ${answer.body.toString()}`);
  };
  try {
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const n = next++;
        await post(names[n] ?? '', n);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  } finally {
    session.close();
  }
}
