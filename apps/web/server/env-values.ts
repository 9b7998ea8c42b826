import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** `<repo>/`: relative paths in the environment are relative to it, as for the API. */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** An unset or blank variable takes the default; `WEB_PORT=` in a .env file means "unset". */
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const text = (fallback: string) => z.preprocess(blankAsUnset, z.string().default(fallback));

export const optionalText = z.preprocess(blankAsUnset, z.string().optional());

export const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number<string>().int().min(min).max(max).default(fallback));

/** `true` or `false`, nothing looser: a typo must stop the server, not flip a switch. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    blankAsUnset,
    z
      .enum(['true', 'false'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true'),
  );

/** A folder or file; a relative one is relative to the repository root. */
export const path = (fallback: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .default(fallback)
      .transform((value) => (isAbsolute(value) ? value : resolve(repoRoot, value))),
  );

/** scheme://host[:port], https or http, no path: what a CSP source and a CORS origin are made of. */
export const origin = (fallback: string) =>
  z.preprocess(
    blankAsUnset,
    z
      .url({ protocol: /^https?$/ })
      .default(fallback)
      .refine((value) => URL.canParse(value) && new URL(value).origin === value, {
        message: 'an origin is scheme://host[:port] with no path or trailing slash',
      }),
  );

/** An http(s) URL a path is appended to; trailing slashes are dropped. */
export const optionalBaseUrl = z.preprocess(
  blankAsUnset,
  z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
);

/**
 * A variable that was renamed or removed: set, the server stops and says what replaced it
 * rather than ignore it (a setting the operator believes in, silently without effect).
 */
export const replaced = (what: string) => z.preprocess(blankAsUnset, z.undefined({ error: what }).optional());

/** One of a closed set of words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(blankAsUnset, z.enum(values).default(fallback));
