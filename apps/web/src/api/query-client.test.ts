import { QueryClient } from '@tanstack/vue-query';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { queryClientConfig } from './query-client';

const networkError = () => new ApiError({ name: 'NETWORK', status: 0, code: 0, message: 'down' });

describe('queryClientConfig', () => {
  const client = new QueryClient(queryClientConfig);
  afterEach(() => client.clear());

  it('runs a failing query function once: call() retries, vue-query does not retry on top', async () => {
    let runs = 0;
    const failing = client.fetchQuery({
      queryKey: ['failing'],
      queryFn: () => {
        runs++;
        return Promise.reject(networkError());
      },
    });
    await expect(failing).rejects.toMatchObject({ name: 'NETWORK' });
    expect(runs).toBe(1);
  });

  it('runs a failing mutation once', async () => {
    let runs = 0;
    const mutation = client.getMutationCache().build(client, {
      mutationFn: () => {
        runs++;
        return Promise.reject(networkError());
      },
    });
    await expect(mutation.execute(undefined)).rejects.toMatchObject({ name: 'NETWORK' });
    expect(runs).toBe(1);
  });
});
