/**
 * A `Retry-After` header in milliseconds from `now`: delay-seconds (`"2"`) or an HTTP date.
 * Undefined when absent or unreadable. The envelope's `data.retryAfterMs` is preferred
 * (finer, and readable even when CORS does not expose the header); this is the fallback.
 */
export function retryAfterMsOf(header: unknown, now: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  // An HTTP date names its day and month; Date.parse would also take "-1" as year −1.
  const at = /^[A-Za-z]{3}, /.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
