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

/** The API version this tab runs (set once by start-api-version.ts before the app mounts). */
export const activeApiVersion: Readonly<ShallowRef<ActiveApiVersion | undefined>> = active;

export function setActiveApiVersion(version: ActiveApiVersion): void {
  active.value = version;
}

/** The orders calls of the active version; src/api/orders.queries.ts calls through it. */
export function activeOrdersApi(): OrdersApi {
  if (!active.value) throw new Error('No API version is loaded yet: main.ts loads it before the app mounts.');
  return active.value.module.ordersApi;
}

/** Why this tab is not on the version the API assigned, or could not ask it; undefined when it is. */
export function versionProblemOf(active: ActiveApiVersion): string | undefined {
  return active.loadProblem ?? (active.discovery.source === 'fallback' ? active.discovery.problem : undefined);
}
