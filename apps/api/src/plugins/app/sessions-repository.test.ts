import type { User } from '@tandem/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, openTestDatabase, type TestDatabase } from '../../../test/databases.js';
import { createSessionsRepository, type SessionsRepository } from './sessions-repository.js';
import { createUsersRepository, type UsersRepository } from './users-repository.js';

describe.each<DatabaseKind>(['pglite', 'postgres'])('users and sessions repositories on %s', (kind) => {
  let test: TestDatabase;
  let users: UsersRepository;
  let sessions: SessionsRepository;
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    test = await openTestDatabase(kind);
    users = createUsersRepository(test.db);
    sessions = createSessionsRepository(test.db);
  });
  afterAll(async () => {
    await test?.dispose();
  });

  const newUser = async (email: string): Promise<User> => {
    const user = await users.create({ email, passwordHash: 'scrypt$…', role: 'user' });
    if (user === 'email_taken') throw new Error(`${email} taken`);
    return user;
  };

  it('creates a user once per e-mail whatever its case, and finds it by e-mail in any case', async () => {
    const user = await newUser('ada@example.com');
    expect(user).toMatchObject({ email: 'ada@example.com', role: 'user' });
    expect(await users.create({ email: 'ADA@example.com', passwordHash: 'x', role: 'user' })).toBe('email_taken');
    expect(await users.findByEmail('Ada@Example.com')).toEqual({ user, passwordHash: 'scrypt$…' });
    expect(await users.findByEmail('nobody@example.com')).toBeNull();
  });

  it('upserts: a second seed of the same account sets its password and role, keeping its id', async () => {
    const first = await users.upsert({ email: 'seeded@example.com', passwordHash: 'one', role: 'user' });
    const second = await users.upsert({ email: 'seeded@example.com', passwordHash: 'two', role: 'admin' });
    expect(second).toMatchObject({ id: first.id, role: 'admin' });
    expect((await users.findByEmail('seeded@example.com'))?.passwordHash).toBe('two');
  });

  it('finds a live session with its user, and not once it expired or was revoked', async () => {
    const user = await newUser('grace@example.com');
    const created = await sessions.create('live', user.id, inAnHour());
    expect(created.user).toEqual(user);
    expect(await sessions.find('live')).toMatchObject({ id: 'live', user });
    await sessions.create('expired', user.id, new Date(Date.now() - 1000));
    expect(await sessions.find('expired')).toBeNull();
    expect(await sessions.revoke('live')).toBe(1);
    expect(await sessions.find('live')).toBeNull();
    expect(await sessions.revoke('live')).toBe(0);
  });

  it('extends a session, and revokes every session of one user only', async () => {
    const alan = await newUser('alan@example.com');
    const edsger = await newUser('edsger@example.com');
    await sessions.create('alan-1', alan.id, new Date(Date.now() + 60_000));
    await sessions.create('alan-2', alan.id, inAnHour());
    await sessions.create('edsger-1', edsger.id, inAnHour());
    const later = new Date(Date.now() + 7 * 86_400_000);
    await sessions.extend('alan-1', later);
    expect((await sessions.find('alan-1'))?.expiresAt.getTime()).toBe(later.getTime());
    expect(await sessions.revokeAllOf(alan.id)).toBe(2);
    expect(await sessions.find('alan-2')).toBeNull();
    expect(await sessions.find('edsger-1')).not.toBeNull();
  });
});
