import { computed, ref } from 'vue';

/**
 * How the customers table renders its rows: `virtual` (the default) creates only the rows
 * in the scroll box, plus a few either side; `all-rows` creates one per customer, which
 * costs one long task for thousands of rows (kept to compare, and for printing).
 */
export type CustomersRendering = 'virtual' | 'all-rows';

const rendering = ref<CustomersRendering>('virtual');

/** The rendering the Customers page uses now (reactive). */
export const customersRendering = computed(() => rendering.value);

/** Changes the rendering of the customers table; a table on screen follows. */
export function setCustomersRendering(next: CustomersRendering): void {
  rendering.value = next;
}
