import { endpoints } from '@tandem/contract';

/**
 * What this needs of a Playwright `BrowserContext` (or any object with its `request`): its
 * API request context, whose cookies are the browser context's own. Typed structurally, so
 * local-stack does not depend on Playwright.
 */
export interface ContextWithRequest {
  request: {
    post(
      url: string,
      options: { data: unknown; ignoreHTTPSErrors?: boolean },
    ): Promise<{ status(): number; text(): Promise<string> }>;
  };
}

/**
 * Signs a browser context in through the API (POST /api/v1/auth/sign-in from the context's
 * own request context): the session cookie lands in the context, so every page it opens
 * afterwards is signed in — for a lab or a benchmark that drives a browser but measures
 * something other than signing in. Throws on any answer but 200.
 */
export async function signInBrowserContext(
  context: ContextWithRequest,
  apiOrigin: string,
  email: string,
  password: string,
): Promise<void> {
  const response = await context.request.post(`${apiOrigin}${endpoints.signIn.path}`, {
    data: { email, password },
    ignoreHTTPSErrors: true,
  });
  if (response.status() !== 200) {
    throw new Error(
      `sign-in of a browser context as ${email} answered ${response.status()}: ${(await response.text()).slice(0, 200)}`,
    );
  }
}

/** What this needs of a Playwright `Browser`: new contexts that can sign in and hand back their state. */
export interface BrowserWithContexts<State> {
  newContext(options: {
    ignoreHTTPSErrors: boolean;
  }): Promise<ContextWithRequest & { storageState(): Promise<State>; close(): Promise<void> }>;
}

/**
 * Signs in once, in a context of its own (closed after), and answers its storage state
 * (the session cookie): start every later context from it (`browser.newContext({ storageState })`)
 * and they all share one session. A run that opens many contexts signs in once, not once
 * per context: each sign-in costs the API a password hash, and sign-ins per account are
 * rate limited (the contract's `signInAccount` bucket).
 */
export async function signedInStorageState<State>(
  browser: BrowserWithContexts<State>,
  apiOrigin: string,
  email: string,
  password: string,
): Promise<State> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    await signInBrowserContext(context, apiOrigin, email, password);
    return await context.storageState();
  } finally {
    await context.close();
  }
}
