/**
 * Whether a path is one of the SPA's own pages (`/orders/42`), answered with index.html
 * for the router to show, rather than a file that is missing: a path whose last segment
 * has no extension, outside assets/. A missing script must be a 404, never a page of HTML
 * that the browser would refuse as a script.
 */
export function isClientRoute(urlPath: string): boolean {
  if (urlPath === '/assets' || urlPath.startsWith('/assets/')) return false;
  const lastSegment = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  return !lastSegment.includes('.');
}
