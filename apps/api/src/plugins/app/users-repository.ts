import type { Role, User } from '@tandem/contract';
import fp from 'fastify-plugin';
import type { Queryable } from '../../db/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    usersRepository: UsersRepository;
  }
}

export interface NewUser {
  /** Already lower-cased (the contract's Email does it). */
  email: string;
  passwordHash: string;
  role: Role;
}

/** An account as sign-in reads it: the user and the stored password hash. */
export interface UserWithPassword {
  user: User;
  passwordHash: string;
}

/** The users table. E-mails are unique whatever their case (the index is on lower(email)). */
export interface UsersRepository {
  /** The new user, or `email_taken` when an account has this e-mail already. */
  create(input: NewUser): Promise<User | 'email_taken'>;
  findByEmail(email: string): Promise<UserWithPassword | null>;
  /**
   * Creates the account, or sets the password and role of the one with this e-mail
   * (the demo accounts, seeded again on every start).
   */
  upsert(input: NewUser): Promise<User>;
}

interface UserRow {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  password_hash: string;
}

const COLUMNS = 'id, email, role, created_at';

export function createUsersRepository(db: Queryable): UsersRepository {
  return {
    async create({ email, passwordHash, role }) {
      const [row] = await db.query<UserRow>(
        'users.create',
        `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT ((lower(email))) DO NOTHING RETURNING ${COLUMNS}`,
        [email, passwordHash, role],
      );
      return row ? toUser(row) : 'email_taken';
    },

    async findByEmail(email) {
      const [row] = await db.query<UserRow>(
        'users.find_by_email',
        `SELECT ${COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`,
        [email],
      );
      return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
    },

    async upsert({ email, passwordHash, role }) {
      const [row] = await db.query<UserRow>(
        'users.upsert',
        `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT ((lower(email))) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role
         RETURNING ${COLUMNS}`,
        [email, passwordHash, role],
      );
      if (!row) throw new Error('INSERT … ON CONFLICT DO UPDATE … RETURNING gave no row');
      return toUser(row);
    },
  };
}

export function toUser(row: { id: string; email: string; role: Role; created_at: Date }): User {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.created_at };
}

export default fp(
  async (app) => {
    app.decorate('usersRepository', createUsersRepository(app.db));
  },
  { name: 'users-repository', dependencies: ['database'] },
);
