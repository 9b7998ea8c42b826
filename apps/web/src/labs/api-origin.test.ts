import { afterEach, describe, expect, it } from 'vitest';
import { apiClient } from '../api/client';
import { config } from '../config';
import { apiOrigin } from './api-origin';
import { applyLabModes, labModes } from './lab-modes';
import { leaksCleanup } from './leaks-cleanup';

afterEach(() => {
  applyLabModes([
    { id: 'h2-sse', mode: 'tuned' },
    { id: 'leaks', mode: 'tuned' },
  ]);
});

describe('the API origin', () => {
  it('is the HTTP/2 listener until a lab says otherwise', () => {
    expect(labModes['h2-sse']).toBe('tuned');
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(apiClient.defaults.baseURL).toBe(config.apiUrl);
  });

  it('moves the axios instance to the HTTP/1.1 listener when h2-sse is naive, and back', () => {
    applyLabModes([{ id: 'h2-sse', mode: 'naive' }]);
    expect(apiOrigin.value).toBe(config.apiH1Url);
    expect(apiClient.defaults.baseURL).toBe(config.apiH1Url);

    applyLabModes([{ id: 'h2-sse', mode: 'tuned' }]);
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(apiClient.defaults.baseURL).toBe(config.apiUrl);
  });

  it('is not moved by another lab', () => {
    applyLabModes([{ id: 'leaks', mode: 'naive' }]);
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(leaksCleanup()).toBe(false);
  });
});
