/**
 * Reads one cookie from a request's `Cookie` header (RFC 6265 §5.4: `name=value` pairs
 * separated by `;`). The API reads a single cookie (the canary bucket), so a few lines
 * here rather than a dependency. Over HTTP/2 a client may split the header into several
 * fields; Node joins them, and an array is read the same way.
 *
 * The first pair with the name wins: a browser sends the cookie with the longest path
 * first. A value in double quotes is unquoted; a percent-encoded one decoded, and one that
 * does not decode is returned as sent (the caller validates what it reads).
 */
export function readCookie(header: string | readonly string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join('; ');
  for (const pair of text.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    return decode(unquote(pair.slice(equals + 1).trim()));
  }
  return undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function decode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
