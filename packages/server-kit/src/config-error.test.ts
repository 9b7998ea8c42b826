import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const Env = z.object({ PORT: z.coerce.number().int().min(1), HOST: z.string().min(1) });

describe('ConfigError.of', () => {
  it('names every bad variable with the value it had, and whose configuration it is', () => {
    const env = { PORT: 'eighty', HOST: '' };
    const parsed = Env.safeParse(env);
    expect(parsed.success).toBe(false);
    const error = ConfigError.of(parsed.error as z.ZodError, env, 'of the web server');
    expect(error).toBeInstanceOf(ConfigError);
    const [first, ...lines] = error.message.split('\n');
    expect(first).toBe('Invalid environment configuration of the web server:');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ {2}PORT="eighty": /);
    expect(lines[1]).toMatch(/^ {2}HOST="": /);
    expect(ConfigError.of(parsed.error as z.ZodError, env).message.split('\n')[0]).toBe(
      'Invalid environment configuration:',
    );
  });
});
