import type { APIRequestContext } from '@playwright/test';

/** A variable the global setup exported; a missing one is a setup bug, said plainly. */
export function setupValue(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through playwright.config.ts (global setup)`);
  return value;
}

/** The API's HTTP/2 origin as the browser reaches it (through the proxy a test can cut). */
export const apiUrl = () => setupValue('TANDEM_E2E_API_URL');
/** The same listener without the proxy: what other clients use, even while the browser's network is down. */
export const apiDirectUrl = () => setupValue('TANDEM_E2E_API_DIRECT_URL');
/** The API's ADMIN_TOKEN (it guards the admin routes). */
export const adminToken = () => setupValue('TANDEM_E2E_ADMIN_TOKEN');
/** The same production build served with the lab layer off (WEB_LABS_ENABLED=false): the product alone. */
export const productWebUrl = () => setupValue('TANDEM_E2E_PRODUCT_WEB_URL');
/** The password of the seeded demo accounts (DEMO_USER_EMAIL, DEMO_ADMIN_EMAIL of @tandem/local-stack). */
export const demoPassword = () => setupValue('TANDEM_E2E_DEMO_PASSWORD');
/** The demo user's signed-in browser state, saved by e2e/sign-in.setup.ts; every project but the setup starts from it. */
export const storageStateFile = () => setupValue('TANDEM_E2E_STORAGE_STATE');
/** The API's log file (pino JSON lines, level info). */
export const apiLogFile = () => setupValue('TANDEM_E2E_API_LOG');

/** Cuts every connection between the browser and the HTTP/2 listener and refuses new ones (`down`), or stops (`up`). */
export async function setNetwork(state: 'down' | 'up'): Promise<void> {
  const response = await fetch(`${setupValue('TANDEM_E2E_NETWORK_URL')}/${state}`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`setNetwork(${state}): ${response.status}`);
}

export interface CreatedOrder {
  id: string;
  customer: string;
  status: string;
  total: number;
}

/**
 * Creates an order straight through the API, as another client would. `request` is the
 * test's: it carries the project's session (the demo user's), so the order is theirs.
 */
export async function createOrder(request: APIRequestContext, customer: string): Promise<CreatedOrder> {
  const response = await request.post(`${apiDirectUrl()}/api/v1/orders`, {
    data: { customer, items: [{ sku: 'TEA-OOLONG-250', qty: 2, price: 16.99 }] },
    ignoreHTTPSErrors: true,
  });
  if (response.status() !== 201) throw new Error(`createOrder: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { data: CreatedOrder }).data;
}

/** Moves an order to `status` straight through the API. */
export async function setOrderStatus(request: APIRequestContext, id: string, status: string): Promise<void> {
  const response = await request.patch(`${apiDirectUrl()}/api/v1/orders/${id}`, {
    data: { status },
    ignoreHTTPSErrors: true,
  });
  if (response.status() !== 200) throw new Error(`setOrderStatus: ${response.status()} ${await response.text()}`);
}
