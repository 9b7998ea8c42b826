import { afterEach, describe, expect, it } from 'vitest';
import { config } from '../config';
import { apiOrigin, isApiUrl, setApiOrigin } from './api-origin';
import { apiClient } from './client';

afterEach(() => setApiOrigin(config.apiUrl));

describe('the API origin', () => {
  it('is the configured API origin until moved', () => {
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(apiClient.defaults.baseURL).toBe(config.apiUrl);
  });

  it('moves the axios instance with it, and back', () => {
    setApiOrigin('https://api.example.test:8444/');
    expect(apiOrigin.value).toBe('https://api.example.test:8444');
    expect(apiClient.defaults.baseURL).toBe('https://api.example.test:8444');

    setApiOrigin(config.apiUrl);
    expect(apiClient.defaults.baseURL).toBe(config.apiUrl);
  });

  it('knows every origin the tab has called, for the Resource Timing entries of calls made before a move', () => {
    expect(isApiUrl(`${config.apiUrl}/api/v1/orders`)).toBe(true);
    expect(isApiUrl('https://other.example.test/api/v1/orders')).toBe(false);
    setApiOrigin('https://other.example.test');
    setApiOrigin(config.apiUrl);
    expect(isApiUrl('https://other.example.test/api/v1/orders')).toBe(true);
    expect(isApiUrl('https://other.example.test.evil/api')).toBe(false);
  });
});
