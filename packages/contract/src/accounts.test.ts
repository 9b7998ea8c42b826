import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, SignInBody, SignUpBody } from './accounts.js';

describe('SignUpBody', () => {
  it('reads an e-mail trimmed and lower-cased, so one address is one account', () => {
    const body = SignUpBody.parse({ email: '  Ada@Example.COM ', password: 'correct horse battery' });
    expect(body.email).toBe('ada@example.com');
  });

  it('names the field of a short password and of a bad e-mail', () => {
    const result = SignUpBody.safeParse({ email: 'not-an-address', password: 'x'.repeat(MIN_PASSWORD_LENGTH - 1) });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['email', 'password']);
  });

  it('refuses fields it does not know', () => {
    expect(SignUpBody.safeParse({ email: 'a@b.co', password: 'long enough pass', role: 'admin' }).success).toBe(false);
  });
});

describe('SignInBody', () => {
  it('accepts any non-empty password: only the server says whether it is right', () => {
    expect(SignInBody.safeParse({ email: 'a@b.co', password: 'x' }).success).toBe(true);
    expect(SignInBody.safeParse({ email: 'a@b.co', password: '' }).success).toBe(false);
  });
});
