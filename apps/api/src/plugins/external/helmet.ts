import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Sets the security headers on a reply (nothing when SECURITY_HEADERS=false). The plugin's
     * hook does it for every routed request; app.ts's `frameworkErrors` for a URL the router
     * refused, which no hook sees.
     */
    addSecurityHeaders(reply: FastifyReply): void;
  }
}

export interface HelmetPluginOptions {
  /**
   * SECURITY_HEADERS: send the headers below on every answer. Off for a deployment whose
   * proxy or load balancer sets them already (two copies of a CSP both apply, the stricter wins).
   */
  enabled: boolean;
}

/**
 * What a JSON API needs of helmet's headers. The API serves no documents, so the policy is
 * the strictest one: nothing may load from an answer (`default-src 'none'`) and nothing may
 * frame it (`frame-ancestors 'none'`, which supersedes X-Frame-Options). HSTS for a year with
 * subdomains, `nosniff` so a JSON answer is never run as a script or a stylesheet, and no
 * Referer from anything an answer would link to.
 *
 * Left out: what only a document uses (COOP, Origin-Agent-Cluster, DNS prefetch control,
 * X-Download-Options, X-XSS-Protection, X-Permitted-Cross-Domain-Policies), and COEP/CORP,
 * which are about who may embed a resource: the SPA reads the API from another origin, with
 * credentials, under CORS (plugins/external/cors.ts), and CORP `same-origin` would refuse an
 * answer the SPA's origin may read. Fastify sends no X-Powered-By to remove.
 */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = Object.freeze<HelmetOptions>({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xContentTypeOptions: true,
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xPoweredBy: false,
  xXssProtection: false,
});

/** Name, value, name, value …: lowercase names, as one flat list. */
export type HeaderList = readonly string[];

/**
 * The headers helmet's middleware sets with these options, recorded once. Its values do not
 * depend on the request (no CSP nonce, no function directive), so they are the same for
 * every answer; helmet itself checks the options (a bad directive throws here, at start).
 */
export function helmetHeaders(options: Readonly<HelmetOptions> = HELMET_OPTIONS): HeaderList {
  const headers: string[] = [];
  const recorder = {
    setHeader(name: string, value: string) {
      headers.push(name.toLowerCase(), value);
    },
    removeHeader() {},
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

/**
 * helmet's security headers on every answer: a route's, an error envelope, a 404, a
 * preflight (a root onRequest hook runs before @fastify/cors answers it), the event
 * stream's head (routes/events copies the reply's headers onto it), and a URL the router
 * refused (app.ts's `frameworkErrors` calls `app.addSecurityHeaders`).
 *
 * @fastify/helmet builds helmet's middleware anew on each request (`helmet(options)` in its
 * onRequest hook, beside an async hook that decorates the reply); here the headers are
 * computed once at start and each request only copies a few strings onto its reply, the
 * same answer (helmet.test.ts holds the two side by side). What they cost a request:
 * `pnpm bench chain-cost` (its `no-security-headers` part, SECURITY_HEADERS=false).
 */
export default fp<HelmetPluginOptions>(
  async (app, { enabled }) => {
    const headers: HeaderList = enabled ? helmetHeaders() : [];
    const addSecurityHeaders = (reply: FastifyReply) => {
      for (let index = 0; index < headers.length; index += 2) {
        reply.header(headers[index] as string, headers[index + 1] as string);
      }
    };
    app.decorate('addSecurityHeaders', addSecurityHeaders);
    if (!enabled) return;
    app.addHook('onRequest', (_request, reply, done) => {
      addSecurityHeaders(reply);
      done();
    });
  },
  { name: 'helmet' },
);
