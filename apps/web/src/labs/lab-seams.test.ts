import { LAB_IDS } from '@tandem/contract/labs';
import { afterEach, describe, expect, it } from 'vitest';
import { apiOrigin } from '../api/api-origin';
import { apiClient } from '../api/client';
import { keepsRequestSimple, requestShaping } from '../api/request-shaping';
import { responseDecoderInUse } from '../api/response-decoder';
import { retryPolicyInUse } from '../api/retry-policy';
import { customersRendering } from '../components/customers/customers-rendering';
import { config } from '../config';
import { closesOnDispose } from '../live/close-on-dispose';
import { applyLabModes, labModes } from './lab-modes';
import { labsConfig } from './labs-config';
import { naiveSuccessData } from './naive-dates';

afterEach(() => applyLabModes(LAB_IDS.map((id) => ({ id, mode: 'tuned' }))));

describe('the labs’ seams in the SPA', () => {
  it('tuned is the product as it ships', () => {
    applyLabModes(LAB_IDS.map((id) => ({ id, mode: 'tuned' })));
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(requestShaping).toEqual({ requestIds: true, simpleReads: true });
    expect(retryPolicyInUse().name).toBe('aligned');
    expect(responseDecoderInUse()).toBeUndefined();
    expect(closesOnDispose()).toBe(true);
    expect(customersRendering.value).toBe('virtual');
  });

  it('h2-sse: naive moves the axios instance to the HTTP/1.1 listener, tuned back', () => {
    applyLabModes([{ id: 'h2-sse', mode: 'naive' }]);
    expect(labModes['h2-sse']).toBe('naive');
    expect(apiOrigin.value).toBe(labsConfig.apiH1Url);
    expect(apiClient.defaults.baseURL).toBe(labsConfig.apiH1Url);

    applyLabModes([{ id: 'h2-sse', mode: 'tuned' }]);
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(apiClient.defaults.baseURL).toBe(config.apiUrl);
  });

  it('is not moved by another lab', () => {
    applyLabModes([{ id: 'leaks', mode: 'naive' }]);
    expect(apiOrigin.value).toBe(config.apiUrl);
    expect(closesOnDispose()).toBe(false);
  });

  it('retry-429: call() retries with the libraries’ default policy when naive, and back when the lab flips again', () => {
    applyLabModes([{ id: 'retry-429', mode: 'naive' }]);
    expect(retryPolicyInUse().name).toBe('default');
    applyLabModes([{ id: 'retry-429', mode: 'tuned' }]);
    expect(retryPolicyInUse().name).toBe('aligned');
  });

  it('cors-preflight and request-id shape the requests, each its own part', () => {
    applyLabModes([{ id: 'cors-preflight', mode: 'naive' }]);
    expect(keepsRequestSimple('GET')).toBe(false);
    expect(requestShaping.requestIds).toBe(true);
    applyLabModes([
      { id: 'cors-preflight', mode: 'tuned' },
      { id: 'request-id', mode: 'naive' },
    ]);
    expect(keepsRequestSimple('GET')).toBe(true);
    expect(requestShaping.requestIds).toBe(false);
  });

  it('date-codec: naive reads answers with the ad hoc reviver', () => {
    applyLabModes([{ id: 'date-codec', mode: 'naive' }]);
    expect(responseDecoderInUse()).toBe(naiveSuccessData);
  });

  it('profiling: naive renders every customer row', () => {
    applyLabModes([{ id: 'profiling', mode: 'naive' }]);
    expect(customersRendering.value).toBe('all-rows');
  });
});
