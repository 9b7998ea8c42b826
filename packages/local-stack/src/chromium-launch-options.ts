/**
 * How every Tandem tool starts Debian's Chromium (Playwright tests, labs, screenshots):
 * no browser download, no sandbox (CI runs as root), and no background traffic, which a
 * closed network answers with refused connections.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    // Keep Chromium on TCP: HTTP/2 over TLS is what the servers speak and the tests assert.
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
