import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { nextPathOf } from '../session/next-path';

/**
 * The sign-in and sign-up pages' way on: `goNext` goes, once signed in, where the person was
 * sent from (`?next=`, a path of this app only: session/next-path.ts) or to the orders; `nextQuery`
 * hands that `?next=` on to the other page's link.
 */
export function useNextPath() {
  const route = useRoute();
  const router = useRouter();
  const next = computed(() => nextPathOf(route.query.next));
  const goNext = () => router.replace(next.value);
  const nextQuery = computed(() => (route.query.next ? { next: next.value } : {}));
  return { goNext, nextQuery };
}
