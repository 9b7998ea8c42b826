/** Keys a hand-written reviver takes for dates: `createdAt`, `updatedAt`, `timestamp`… */
const LOOKS_LIKE_A_DATE = /(?:At|^timestamp)$/;

/**
 * lab date-codec: naive — no codec. The JSON is used as `JSON.parse` left it, and fields
 * that look like dates are turned into `Date`s ad hoc with `new Date(text)`. That reads
 * RFC 3339 with `Z` correctly, but a timestamp without an offset (`2026-11-24 09:30:00`,
 * the API's database text in this lab) as the *reader's* local time, and `null` as 1970.
 * Nothing fails: the dates are just wrong. Tuned is the contract's decode in
 * src/api/client.ts (`readAnswer`); lab-seams.ts hands this one to `setResponseDecoder`.
 */
export function reviveDatesAdHoc(json: unknown, key = ''): unknown {
  if (LOOKS_LIKE_A_DATE.test(key) && (typeof json === 'string' || json === null)) return new Date(json as string);
  if (Array.isArray(json)) return json.map((item) => reviveDatesAdHoc(item));
  if (json && typeof json === 'object') {
    return Object.fromEntries(Object.entries(json).map(([name, value]) => [name, reviveDatesAdHoc(value, name)]));
  }
  return json;
}

/** The `data` of a success envelope the naive way (see reviveDatesAdHoc). */
export function naiveSuccessData(json: unknown): unknown {
  return (reviveDatesAdHoc(json) as { data?: unknown } | null)?.data;
}
