import { ErrorEnvelope, endpoints } from '@tandem/contract';
import { describe, expect, it } from 'vitest';
import { useStartedApi } from '../../../test/api-server.js';
import { H2Client } from '../../../test/clients.js';

const ACCOUNT_BURST = 3;
const CLIENT_BURST = 6;

// Buckets a test can empty: a few attempts per account and per client, refilled too slowly to matter.
const started = useStartedApi({
  env: {
    RATE_LIMIT_SIGN_IN_ACCOUNT_BURST: String(ACCOUNT_BURST),
    RATE_LIMIT_SIGN_IN_ACCOUNT_UNITS_PER_SECOND: '0.001',
    RATE_LIMIT_SIGN_IN_BURST: String(CLIENT_BURST),
    RATE_LIMIT_SIGN_IN_UNITS_PER_SECOND: '0.001',
  },
});

async function attempt(client: H2Client, email: string) {
  const res = await client.request({
    method: 'POST',
    path: endpoints.signIn.path,
    body: { email, password: 'a wrong password' },
  });
  return { status: res.status, body: ErrorEnvelope.parse(res.json()), headers: res.headers };
}

describe('sign-in rate limits', () => {
  it('answers a burst of wrong passwords for one account with 429 once its bucket is empty', async () => {
    const client = new H2Client(started.api.origin);
    const email = started.api.account.user.email;
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_BURST + 1; i++) statuses.push((await attempt(client, email)).status);
    expect(statuses).toEqual([...Array(ACCOUNT_BURST).fill(401), 429]);
    const refused = await attempt(client, email);
    expect(refused.body.data.error).toBe('RATE_LIMITED');
    expect(refused.body.data.retryAfterMs).toBeGreaterThan(0);
    await client.close();
  });

  it('limits one client trying many accounts, whatever the e-mails', async () => {
    const client = new H2Client(started.api.origin);
    // The first test spent ACCOUNT_BURST + 2 of this client's attempts already.
    let status = 0;
    for (let i = 0; i < CLIENT_BURST && status !== 429; i++) {
      status = (await attempt(client, `stuffing-${i}@example.com`)).status;
    }
    expect(status).toBe(429);
    await client.close();
  });
});
