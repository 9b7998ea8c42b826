/** A hashed build file: its name changes with its content, so it may be kept for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, favicon.svg): kept, but revalidated before each use. */
export const REVALIDATE = 'no-cache';

/**
 * The Cache-Control of a file of the build, by its path inside it (`assets/index-B1x2.js`):
 * Vite writes every hashed file (scripts, styles, and what they import) into assets/.
 */
export function cacheControlOf(pathInBuild: string): string {
  return pathInBuild.replaceAll('\\', '/').startsWith('assets/') ? IMMUTABLE : REVALIDATE;
}
