import { DEFAULT_PAGE_SIZE } from '@tandem/contract';
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export const PAGE_SIZES = [10, DEFAULT_PAGE_SIZE, 50] as const;
export type Density = 'comfortable' | 'compact';

const STORAGE_KEY = 'tandem.preferences';

/** How the person likes to see lists; UI state only, kept in this browser. */
export const usePreferencesStore = defineStore('preferences', () => {
  const saved = readSaved();
  const pageSize = ref<number>(saved.pageSize ?? DEFAULT_PAGE_SIZE);
  const density = ref<Density>(saved.density ?? 'comfortable');

  watch([pageSize, density], () => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ pageSize: pageSize.value, density: density.value }));
  });

  return { pageSize, density };
});

function readSaved(): { pageSize?: number; density?: Density } {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    if (typeof value !== 'object' || value === null) return {};
    const { pageSize, density } = value as Record<string, unknown>;
    return {
      ...(PAGE_SIZES.some((size) => size === pageSize) ? { pageSize: pageSize as number } : {}),
      ...(density === 'comfortable' || density === 'compact' ? { density } : {}),
    };
  } catch {
    return {};
  }
}
