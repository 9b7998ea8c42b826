import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, openTestDatabase, type TestDatabase } from '../../test/databases.js';
import { migrate, readMigrations } from './migrate.js';

describe.each<DatabaseKind>(['pglite', 'postgres'])('migrations on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await test?.dispose();
  });

  const appliedIds = async () =>
    (await test.db.query<{ id: string }>('test.applied', 'SELECT id FROM schema_migrations ORDER BY id')).map(
      (row) => row.id,
    );

  it('finds the numbered .sql files in order', () => {
    const ids = readMigrations().map((migration) => migration.id);
    expect(ids[0]).toBe('0001-create-orders');
    expect([...ids].sort()).toEqual(ids);
  });

  it('is idempotent: running twice more applies nothing and records each migration once', async () => {
    expect(await migrate(test.db)).toEqual([]);
    expect(await migrate(test.db)).toEqual([]);
    expect(await appliedIds()).toEqual(readMigrations().map((migration) => migration.id));
  });

  it('builds the schema from nothing: the orders table, its checks and its keyset index', async () => {
    await test.db.exec(
      'DROP TABLE idempotency_keys; DROP TABLE orders; DROP TABLE sessions; DROP TABLE users; DROP TABLE schema_migrations;',
    );
    expect(await migrate(test.db)).toEqual(readMigrations().map((migration) => migration.id));
    const [index] = await test.db.query<{ indexdef: string }>(
      'test.index',
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'orders' AND indexname = 'orders_created_at_id_idx'`,
    );
    expect(index?.indexdef).toMatch(/\(created_at DESC, id DESC\)/);
    await expect(
      test.db.query(
        'test.bad_status',
        `INSERT INTO orders (customer, items, total_cents, status) VALUES ('x', '[]', 0, 'lost')`,
      ),
    ).rejects.toThrow(/check constraint/i);
  });

  it('creates the idempotency keys table, one row per key', async () => {
    const insertKey = () =>
      test.db.query('test.key', `INSERT INTO idempotency_keys (key, request_hash) VALUES ('migrate-test-key', 'h')`);
    await insertKey();
    await expect(insertKey()).rejects.toThrow(/duplicate key/i);
  });

  it('creates users with one account per e-mail whatever its case, and sessions that go with their user', async () => {
    const insertUser = (email: string) =>
      test.db.query<{ id: string }>(
        'test.user',
        `INSERT INTO users (email, password_hash) VALUES ($1, 'h') RETURNING id`,
        [email],
      );
    const [user] = await insertUser('Case@Example.com');
    await expect(insertUser('case@example.COM')).rejects.toThrow(/duplicate key/i);
    await expect(
      test.db.query('test.bad_role', `INSERT INTO users (email, password_hash, role) VALUES ('r@x.co', 'h', 'root')`),
    ).rejects.toThrow(/check constraint/i);
    await test.db.query(
      'test.session',
      `INSERT INTO sessions (id, user_id, expires_at) VALUES ('s1', $1, now() + interval '1 hour')`,
      [user?.id],
    );
    await test.db.query('test.delete_user', 'DELETE FROM users WHERE id = $1', [user?.id]);
    expect(await test.db.query('test.sessions', 'SELECT id FROM sessions')).toEqual([]);
  });

  it('applies a failing batch not at all: the transaction rolls back every step', async () => {
    const broken = [
      ...readMigrations(),
      { id: '9998-add-notes', sql: 'ALTER TABLE orders ADD COLUMN notes text;' },
      { id: '9999-broken', sql: 'SELECT no_such_function();' },
    ];
    await expect(migrate(test.db, broken)).rejects.toThrow(/no_such_function/);
    expect(await appliedIds()).toEqual(readMigrations().map((migration) => migration.id));
    const columns = await test.db.query<{ column_name: string }>(
      'test.columns',
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'notes'`,
    );
    expect(columns).toEqual([]);
  });
});
