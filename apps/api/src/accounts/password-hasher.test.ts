import { describe, expect, it } from 'vitest';
import { createScryptHasher, SCRYPT_DEFAULTS } from './password-hasher.js';

describe('the scrypt password hasher', () => {
  const hasher = createScryptHasher();

  it('stores the parameters with a random salt, and verifies the password and nothing else', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    const { logN, r, p } = SCRYPT_DEFAULTS;
    expect(stored).toMatch(new RegExp(`^scrypt\\$ln=${logN},r=${r},p=${p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{86}$`));
    expect(await hasher.hash('correct horse battery staple')).not.toBe(stored);
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', stored)).toBe(false);
  });

  it('verifies a hash made with other parameters by the parameters it carries', async () => {
    const older = await createScryptHasher({ ...SCRYPT_DEFAULTS, logN: 10, p: 1 }).hash('an older password');
    expect(await hasher.verify('an older password', older)).toBe(true);
  });

  it('treats a stored string it cannot read as a wrong password', async () => {
    expect(await hasher.verify('anything', 'plain text')).toBe(false);
    expect(await hasher.verify('anything', '')).toBe(false);
  });

  it('reads the same password in either Unicode normal form', async () => {
    const cheap = createScryptHasher({ ...SCRYPT_DEFAULTS, logN: 10, p: 1 });
    const composed = await cheap.hash('caf\u00e9 au lait');
    expect(await cheap.verify('cafe\u0301 au lait', composed)).toBe(true);
  });
});
