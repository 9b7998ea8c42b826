// What `import … from 'zod'` resolves to in the SPA's bundle, the contract's modules included
// (vite.config.ts, resolve.alias): Zod with its JIT off, set before any schema is built.
// Zod 4 compiles a fast object parser with `new Function`, and first probes whether eval is
// allowed; the CSP's `script-src 'self'` refuses it and the probe's error is swallowed, but
// the browser still reports a violation on every page. The non-JIT parser gives the same
// results. Node (the API, the tests) keeps the JIT: nothing there forbids eval.
import { config } from 'zod/v4/core';

config({ jitless: true });

export * from 'zod/v4';
export { default } from 'zod/v4';
