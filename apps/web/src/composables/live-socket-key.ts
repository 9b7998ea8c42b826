import type { InjectionKey } from 'vue';
import type { useLiveSocket } from './useLiveSocket';

/** The app's one live socket (opened by App.vue), for pages that show its state, such as the Lab console. */
export const liveSocketKey: InjectionKey<ReturnType<typeof useLiveSocket>> = Symbol('liveSocket');
