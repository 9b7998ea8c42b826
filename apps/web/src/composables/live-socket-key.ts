import type { InjectionKey } from 'vue';
import type { useLiveSocket } from './useLiveSocket';

/** The app's one live socket (opened by App.vue), for any view that shows its state. */
export const liveSocketKey: InjectionKey<ReturnType<typeof useLiveSocket>> = Symbol('liveSocket');
