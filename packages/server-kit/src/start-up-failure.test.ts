import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from './config-error.js';
import { explainListenError, loadConfigOrFail, runServer, StartUpFailure } from './start-up-failure.js';

const target = { host: '127.0.0.1', port: 8443, hostVariable: 'API_HOST', portVariable: 'API_PORT' };
const errno = (code: string) => Object.assign(new Error(code), { code });

describe('explainListenError', () => {
  it('names the variable to change for each listen error that is configuration', () => {
    expect(explainListenError(errno('EADDRINUSE'), target)).toBe(
      'Port 8443 on 127.0.0.1 is already in use: stop the other process or set API_PORT.',
    );
    expect(explainListenError(errno('EACCES'), target)).toBe(
      'Not allowed to listen on 127.0.0.1:8443: choose another API_PORT.',
    );
    for (const code of ['EADDRNOTAVAIL', 'ENOTFOUND']) {
      expect(explainListenError(errno(code), target)).toBe(
        'Cannot listen on 127.0.0.1: the address is not on this machine; check API_HOST.',
      );
    }
  });

  it('leaves any other error to be thrown as a bug', () => {
    expect(explainListenError(errno('EMFILE'), target)).toBeUndefined();
    expect(explainListenError(new Error('no code'), target)).toBeUndefined();
  });
});

describe('loadConfigOrFail', () => {
  it('turns a ConfigError into a start-up failure with the same message', () => {
    const load = () => {
      throw new ConfigError('Invalid environment configuration:\n  API_PORT="x": expected a number');
    };
    expect(() => loadConfigOrFail(load)).toThrow(StartUpFailure);
    expect(() => loadConfigOrFail(load)).toThrow('API_PORT="x"');
  });

  it('returns the config, and lets any other error through', () => {
    expect(loadConfigOrFail(() => ({ port: 1 }))).toEqual({ port: 1 });
    expect(() =>
      loadConfigOrFail(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});

describe('runServer', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('prints a start-up failure as one line and sets exit code 1', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    await runServer(async () => {
      throw new StartUpFailure('Port 8443 on 127.0.0.1 is already in use: stop the other process or set API_PORT.');
    });
    expect(printed).toHaveBeenCalledExactlyOnceWith(
      'Port 8443 on 127.0.0.1 is already in use: stop the other process or set API_PORT.',
    );
    expect(process.exitCode).toBe(1);
  });

  it('rethrows anything else, stack and all', async () => {
    await expect(
      runServer(async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow(TypeError);
    expect(process.exitCode).toBeUndefined();
  });
});
