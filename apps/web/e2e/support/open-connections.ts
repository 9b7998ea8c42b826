import type { Page } from '@playwright/test';

declare global {
  interface Window {
    /** Counted by the test itself (trackOpenConnections), whatever the app does. */
    __e2eOpenConnections?: { eventSources: number; webSockets: number };
  }
}

/**
 * Counts the page's open EventSources and WebSockets from the test's side: wraps both
 * constructors before the app loads, so a reconnect that adds a stream instead of
 * replacing one shows, with or without the app's own instrumentation.
 */
export async function trackOpenConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const counts = { eventSources: 0, webSockets: 0 };
    window.__e2eOpenConnections = counts;
    const NativeEventSource = window.EventSource;
    window.EventSource = class extends NativeEventSource {
      #open = true;
      constructor(...args: ConstructorParameters<typeof EventSource>) {
        super(...args);
        counts.eventSources += 1;
      }
      override close() {
        if (this.#open) counts.eventSources -= 1;
        this.#open = false;
        super.close();
      }
    };
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        counts.webSockets += 1;
        this.addEventListener('close', () => {
          counts.webSockets -= 1;
        });
      }
    };
  });
}

/** What trackOpenConnections counted so far. */
export function openConnections(page: Page) {
  return page.evaluate(() => ({ ...window.__e2eOpenConnections }));
}
