import type { ClientHttp2Session } from 'node:http2';
import { h2Request, openH2Session } from '@tandem/local-stack';

export interface ServerTimingSample {
  appMs: number;
  dbMs: number;
}

/** `app;dur=3.2, db;dur=1.1` → { appMs: 3.2, dbMs: 1.1 }; undefined when either is missing. */
export function parseServerTiming(header: string | string[] | undefined): ServerTimingSample | undefined {
  const text = Array.isArray(header) ? header.join(', ') : (header ?? '');
  const read = (name: string) => {
    const match = new RegExp(`(?:^|,)\\s*${name};dur=([\\d.]+)`).exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const appMs = read('app');
  const dbMs = read('db');
  return appMs === undefined || dbMs === undefined ? undefined : { appMs, dbMs };
}

/**
 * Sends one request every `intervalMs` on its own HTTP/2 connection while a load runs and
 * keeps each answer's `Server-Timing`: where the server says its time went, under load.
 */
export class ServerTimingSampler {
  private readonly samples: ServerTimingSample[] = [];
  private readonly statuses = new Map<number, number>();
  private running = true;
  private loop: Promise<void> | undefined;

  private constructor(private readonly session: ClientHttp2Session) {}

  static async start(
    origin: string,
    request: () => Parameters<typeof h2Request>[1],
    intervalMs: number,
  ): Promise<ServerTimingSampler> {
    const sampler = new ServerTimingSampler(await openH2Session(origin));
    sampler.loop = sampler.run(request, intervalMs);
    return sampler;
  }

  private async run(request: () => Parameters<typeof h2Request>[1], intervalMs: number) {
    while (this.running) {
      const next = new Promise((resolve) => setTimeout(resolve, intervalMs));
      const response = await h2Request(this.session, request());
      this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
      const timing = parseServerTiming(response.headers['server-timing']);
      if (timing && response.status < 300) this.samples.push(timing);
      await next;
    }
  }

  /** Stops sampling; the share is Σ db ÷ Σ app over the 2xx answers sampled. */
  async stop() {
    this.running = false;
    await this.loop;
    this.session.close();
    const app = this.samples.reduce((sum, sample) => sum + sample.appMs, 0);
    const db = this.samples.reduce((sum, sample) => sum + sample.dbMs, 0);
    return {
      samples: this.samples.length,
      statuses: Object.fromEntries(this.statuses),
      dbShare: app > 0 ? db / app : Number.NaN,
      meanAppMs: this.samples.length > 0 ? app / this.samples.length : Number.NaN,
      meanDbMs: this.samples.length > 0 ? db / this.samples.length : Number.NaN,
    };
  }
}
