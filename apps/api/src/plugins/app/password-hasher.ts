import fp from 'fastify-plugin';
import { createScryptHasher, type PasswordHasher } from '../../accounts/password-hasher.js';
import { createSetting, type Setting } from '../../setting.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** How passwords are hashed and checked: scrypt on libuv's thread pool unless set otherwise. */
    passwordHasher: Setting<PasswordHasher>;
  }
}

export interface PasswordHasherPluginOptions {
  /** At start (default: scrypt with SCRYPT_DEFAULTS); `app.passwordHasher.set` changes it at run time. */
  hasher?: PasswordHasher | undefined;
}

export default fp<PasswordHasherPluginOptions>(
  async (app, { hasher }) => {
    app.decorate('passwordHasher', createSetting(hasher ?? createScryptHasher()));
  },
  { name: 'password-hasher' },
);
