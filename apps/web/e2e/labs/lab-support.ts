import type { APIRequestContext } from '@playwright/test';
import { adminToken, apiDirectUrl, setupValue } from '../support/api';

/** The API's HTTP/1.1-only listener: the h2-sse lab's naive origin. */
export const apiH1Url = () => setupValue('TANDEM_E2E_API_H1_URL');

/** Sets a lab straight through the admin API (to restore a known state, not to test the console). */
export async function setLabMode(request: APIRequestContext, id: string, mode: 'naive' | 'tuned'): Promise<void> {
  const response = await request.put(`${apiDirectUrl()}/api/v1/admin/labs/${id}`, {
    data: { mode },
    headers: { Authorization: `Bearer ${adminToken()}` },
    ignoreHTTPSErrors: true,
  });
  if (response.status() !== 200) throw new Error(`setLabMode: ${response.status()} ${await response.text()}`);
}
