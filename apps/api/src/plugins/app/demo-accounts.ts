import type { Role } from '@tandem/contract';
import fp from 'fastify-plugin';

/** The demo's accounts (demo data only: docs/template.md says to remove them from a product). */
export const DEMO_ACCOUNTS: readonly { email: string; role: Role }[] = [
  { email: 'demo@tandem.local', role: 'user' },
  { email: 'admin@tandem.local', role: 'admin' },
];

export interface DemoAccountsOptions {
  /** DEMO_PASSWORD: set, the demo accounts exist with this password; unset, nothing is seeded. */
  password: string | undefined;
}

/**
 * `npm run demo`'s accounts: a user and an admin, created or given this password on every
 * start. The user adopts the orders nobody owns (the seeded ones), so the demo's list is
 * full when the user signs in; the admin sees every order anyway.
 */
export default fp<DemoAccountsOptions>(
  async (app, { password }) => {
    if (password === undefined) return;
    const hasher = app.passwordHasher.get();
    const [user] = await Promise.all(
      DEMO_ACCOUNTS.map(async ({ email, role }) =>
        app.usersRepository.upsert({ email, role, passwordHash: await hasher.hash(password) }),
      ),
    );
    if (!user) return;
    const adopted = await app.db.query(
      'orders.adopt',
      'UPDATE orders SET owner_id = $1 WHERE owner_id IS NULL RETURNING id',
      [user.id],
    );
    app.log.info(
      { accounts: DEMO_ACCOUNTS.map(({ email }) => email), adoptedOrders: adopted.length },
      'demo accounts ready',
    );
  },
  { name: 'demo-accounts', dependencies: ['users-repository', 'password-hasher', 'database'] },
);
