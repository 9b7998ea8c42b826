import { shallowReactive, shallowReadonly } from 'vue';
import type { RouteLocationRaw } from 'vue-router';

/** One link of the header's main navigation. */
export interface NavigationLink {
  label: string;
  to: RouteLocationRaw;
}

const links = shallowReactive<NavigationLink[]>([
  { label: 'Orders', to: { name: 'orders' } },
  { label: 'New order', to: { name: 'order-new' } },
  { label: 'Customers', to: { name: 'customers' } },
]);

/** The header's main navigation, in order (App.vue renders it). */
export const navigationLinks: readonly NavigationLink[] = shallowReadonly(links);

/**
 * Adds a link at the end of the main navigation, for a feature added to the app from
 * outside (its route added with `router.addRoute`).
 */
export function addNavigationLink(link: NavigationLink): void {
  links.push(link);
}
