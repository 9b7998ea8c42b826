/**
 * What the lab uses of the SPA's lab layer (`@tandem/web/labs`, apps/web/src/labs/index.ts),
 * loaded by package name at run time: the naive client path the browser runs. Typed here
 * rather than imported, so the labs' type check does not compile the web app (whose files
 * need Vite's types and a bundler's module resolution); apps/web's vue-tsc checks them.
 */
export interface SpaLabs {
  /** The `data` of a success envelope the naive way: no codec, dates revived ad hoc. */
  naiveSuccessData(json: unknown): unknown;
}

const SPA_LABS: string = '@tandem/web/labs';

export async function loadSpaLabs(): Promise<SpaLabs> {
  return (await import(SPA_LABS)) as SpaLabs;
}
