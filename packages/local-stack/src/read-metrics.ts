import { request } from 'node:https';

/** The sum of each named series in the API's `/metrics` (labels summed), 0 when absent. */
export async function readMetrics(origin: string, names: readonly string[]): Promise<Record<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(`${origin}/metrics`, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
  const values: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] && names.includes(match[1])) values[match[1]] = (values[match[1]] ?? 0) + Number(match[3]);
  }
  return values;
}
