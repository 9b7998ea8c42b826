import { hashKey, type QueryClient } from '@tanstack/vue-query';
import { applyLabModes } from './lab-modes';
import { labKeys } from './labs.queries';

/**
 * Applies the lab list to this tab whenever the query cache receives it (a fetch, a
 * refetch, or the answer of a flip), so the vue-query cache stays the one source of the
 * server's state and the product's seams follow it (lab-modes.ts → lab-seams.ts).
 * Returns the unsubscribe function.
 */
export function followLabState(queryClient: QueryClient): () => void {
  const apply = () => {
    const list = queryClient.getQueryData<{ items: Parameters<typeof applyLabModes>[0] }>(labKeys.list());
    if (list) applyLabModes(list.items);
  };
  apply();
  const listHash = hashKey(labKeys.list());
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.query.queryHash === listHash) apply();
  });
}
