import type { z } from 'zod';

/** An environment as `process.env` holds it. */
export type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override name = 'ConfigError';

  /**
   * One error naming every bad variable, each with the value it had.
   * @param of whose configuration, in the first line ("of the web server"); none for the API
   */
  static of(error: z.ZodError, env: Environment, of?: string): ConfigError {
    const lines = error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    return new ConfigError(`Invalid environment configuration${of ? ` ${of}` : ''}:\n${lines.join('\n')}`);
  }
}
