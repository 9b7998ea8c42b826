import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Turns a password into what the users table keeps, and checks one against it. The
 * product's is scrypt on libuv's thread pool (`createScryptHasher`); `app.passwordHasher`
 * holds the one in use.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a stored string this hasher cannot read. */
  verify(password: string, stored: string): Promise<boolean>;
}

/** scrypt's cost: N = 2^logN, block size r, parallelism p; the derived key and salt lengths in bytes. */
export interface ScryptParameters {
  logN: number;
  r: number;
  p: number;
  keyLength: number;
  saltLength: number;
}

/**
 * OWASP's Password Storage Cheat Sheet lists N=2^17, r=8, p=1 and its equivalents of equal
 * cost; this is the 2^15, r=8, p=3 one: 32 MiB per hash instead of 128 MiB, so four hashes
 * at once (libuv's default pool) hold 128 MiB, not 512 MiB. Why, and what one costs
 * here: docs/decisions/0013-password-hashing-and-sessions.md.
 */
export const SCRYPT_DEFAULTS: Readonly<ScryptParameters> = Object.freeze({
  logN: 15,
  r: 8,
  p: 3,
  keyLength: 64,
  saltLength: 16,
});

/** `scrypt$ln=15,r=8,p=3$<salt>$<key>` (base64, no padding): the parameters travel with the hash. */
const STORED = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** What one scrypt run costs: N = 2^logN, block size r, parallelism p. */
export type ScryptCost = Pick<ScryptParameters, 'logN' | 'r' | 'p'>;

/** Derives `keyLength` bytes from a (normalized) password and salt at `cost`. */
export type ScryptFunction = (password: string, salt: Buffer, keyLength: number, cost: ScryptCost) => Promise<Buffer>;

/** Node's scrypt options for `cost`: scrypt's memory is 128·N·r bytes, and Node refuses above `maxmem` (32 MiB by default), so it is set to fit. */
export function scryptOptionsOf({ logN, r, p }: ScryptCost): ScryptOptions {
  return { N: 2 ** logN, r, p, maxmem: 128 * 2 ** logN * r + 1024 * 1024 };
}

/** The async form: the work runs on libuv's thread pool, never on the event loop. */
export const scryptOnThreadPool: ScryptFunction = (password, salt, keyLength, cost) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keyLength, scryptOptionsOf(cost), (error, key) => (error ? reject(error) : resolve(key))),
  );

/** scrypt with `parameters` for new hashes; `run` is where the work happens (on the thread pool unless told otherwise). */
export function createScryptHasher(
  parameters: ScryptParameters = SCRYPT_DEFAULTS,
  run: ScryptFunction = scryptOnThreadPool,
): PasswordHasher {
  const { logN, r, p, keyLength, saltLength } = parameters;
  return {
    async hash(password) {
      const salt = randomBytes(saltLength);
      const key = await run(password.normalize('NFC'), salt, keyLength, { logN, r, p });
      return `scrypt$ln=${logN},r=${r},p=${p}$${unpadded(salt)}$${unpadded(key)}`;
    },
    async verify(password, stored) {
      const match = STORED.exec(stored);
      if (!match) return false;
      const [, ln, storedR, storedP, salt, key] = match as unknown as [string, string, string, string, string, string];
      const expected = Buffer.from(key, 'base64');
      // The stored string's own parameters: a hash made before the defaults changed still verifies.
      const actual = await run(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
        logN: Number(ln),
        r: Number(storedR),
        p: Number(storedP),
      });
      return timingSafeEqual(actual, expected);
    },
  };
}

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
