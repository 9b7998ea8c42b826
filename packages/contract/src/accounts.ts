import { z } from 'zod';
import { DateTime } from './date-time.js';
import { successEnvelope } from './envelope.js';
import { Role } from './permissions.js';

/**
 * The session cookie. `__Host-`: the browser keeps it only if it is `Secure`, has
 * `Path=/` and no `Domain`, so no other host (a sibling subdomain) can set or shadow it.
 * The value is an opaque token; the server stores only its SHA-256.
 */
export const SESSION_COOKIE = '__Host-tandem_session';

/** The shortest password sign-up accepts (NIST SP 800-63B: at least 8; length over composition rules). */
export const MIN_PASSWORD_LENGTH = 10;
/** The longest: bounds the work one sign-in can ask of the password hash. */
export const MAX_PASSWORD_LENGTH = 200;

export const UserId = z.uuid().meta({ id: 'UserId', description: 'UUID of an account.' });

/**
 * An e-mail address as an account name: trimmed and lower-cased, so `Ada@Example.com`
 * and `ada@example.com ` are one account (the database's unique index is on lower(email) too).
 */
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'Enter an e-mail address, e.g. ada@example.com.' }))
  .transform((email) => email.toLowerCase())
  .meta({ id: 'Email', example: 'ada@example.com' });

/** A new password: length is the rule (no composition rules); no NUL (PostgreSQL text cannot hold it). */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`)
  .meta({ id: 'NewPassword' });

export const User = z
  .object({
    id: UserId,
    email: z.string(),
    role: Role,
    createdAt: DateTime,
  })
  .meta({ id: 'User' });
export type User = z.output<typeof User>;

export const SignUpBody = z.strictObject({ email: Email, password: NewPassword }).meta({ id: 'SignUpBody' });
export type SignUpBody = z.output<typeof SignUpBody>;

/**
 * A sign-in checks nothing but presence and size: whether the password is right is the
 * server's one answer (INVALID_CREDENTIALS), whatever the input looks like.
 */
export const SignInBody = z
  .strictObject({
    email: Email,
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .meta({ id: 'SignInBody' });
export type SignInBody = z.output<typeof SignInBody>;

/** The signed-in account and when its session ends unless it is used again (rolling expiry). */
export const CurrentSession = z
  .object({
    user: User,
    expiresAt: DateTime,
  })
  .meta({ id: 'CurrentSession' });
export type CurrentSession = z.output<typeof CurrentSession>;

export const SessionEnvelope = successEnvelope('SessionEnvelope', 200, CurrentSession);
export const SignedUpEnvelope = successEnvelope('SignedUpEnvelope', 201, CurrentSession);

export const SignedOut = z
  .object({ sessionsEnded: z.int().nonnegative().meta({ description: 'How many sessions this call ended.' }) })
  .meta({ id: 'SignedOut' });
export const SignedOutEnvelope = successEnvelope('SignedOutEnvelope', 200, SignedOut);
