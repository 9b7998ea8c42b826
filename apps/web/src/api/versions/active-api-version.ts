import { type ShallowRef, shallowRef } from 'vue';
import type { VersionDiscovery } from './discover-api-version';
import type { ApiVersionModule, OrdersApi } from './orders-api';

export interface ActiveApiVersion {
  /** The loaded module; its `apiVersion` is the one every orders call of this tab uses. */
  module: ApiVersionModule;
  discovery: VersionDiscovery;
  /** Set when the module of the assigned version could not be loaded and v1's was instead. */
  loadProblem?: string | undefined;
}

const active = shallowRef<ActiveApiVersion | undefined>();
let markActive: (version: ActiveApiVersion) => void = () => {};
const activated = new Promise<ActiveApiVersion>((resolve) => {
  markActive = resolve;
});

/**
 * The API version this tab runs: undefined until start-api-version.ts has learned it and
 * loaded its module (main.ts starts that as the app mounts), then set once.
 */
export const activeApiVersion: Readonly<ShallowRef<ActiveApiVersion | undefined>> = active;

export function setActiveApiVersion(version: ActiveApiVersion): void {
  active.value = version;
  markActive(version);
}

/**
 * Resolves once this tab's API version is active. The version check is the first call of
 * the tab's session, made once main.ts's start-up has run: every other call and stream
 * waits for this, so the app paints without them and they all follow that start-up.
 */
export function whenApiVersionActive(): Promise<ActiveApiVersion> {
  return activated;
}

/** The orders calls of the active version, once it is active; src/api/orders.queries.ts calls through it. */
export async function activeOrdersApi(): Promise<OrdersApi> {
  return (await whenApiVersionActive()).module.ordersApi;
}

/** Why this tab is not on the version the API assigned, or could not ask it; undefined when it is. */
export function versionProblemOf(active: ActiveApiVersion): string | undefined {
  return active.loadProblem ?? (active.discovery.source === 'fallback' ? active.discovery.problem : undefined);
}
