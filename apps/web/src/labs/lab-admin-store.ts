import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

const STORAGE_KEY = 'tandem.labAdminToken';

/**
 * The admin token (the API's `ADMIN_TOKEN`) a person typed in the Lab console. Kept for
 * this tab's session only (sessionStorage), never in localStorage and never in the URL.
 */
export const useLabAdminStore = defineStore('lab-admin', () => {
  const token = ref(sessionStorage.getItem(STORAGE_KEY) ?? '');

  watch(token, (value) => {
    if (value) sessionStorage.setItem(STORAGE_KEY, value);
    else sessionStorage.removeItem(STORAGE_KEY);
  });

  return { token };
});
