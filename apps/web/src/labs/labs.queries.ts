import { type Lab, type LabId, type LabMode, labEndpoints } from '@tandem/contract/labs';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/vue-query';
import { type MaybeRefOrGetter, toValue } from 'vue';
import { call } from '../api/client';

export const labKeys = {
  all: ['labs'] as const,
  list: () => [...labKeys.all, 'list'] as const,
};

/**
 * The labs and the setting each one runs with. The app applies what this query holds
 * (follow-lab-state.ts); the lab state is shared with scripts that flip it, so
 * it is never fresh for long.
 */
export function labsQuery() {
  return queryOptions({
    queryKey: labKeys.list(),
    queryFn: ({ signal }) => call(labEndpoints.listLabs, { signal }),
    staleTime: 5_000,
  });
}

export interface SetLabModeInput {
  id: LabId;
  mode: LabMode;
}

/**
 * Flips one lab. The admin token travels as `Authorization: Bearer …` on this call only;
 * the flipped lab replaces its entry in the lab list, which the app then applies.
 */
export function useSetLabMode(token: MaybeRefOrGetter<string>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, mode }: SetLabModeInput) =>
      call(labEndpoints.setLabMode, {
        params: { id },
        body: { mode },
        headers: { Authorization: `Bearer ${toValue(token)}` },
      }),
    onSuccess: (lab: Lab) => {
      queryClient.setQueryData(labsQuery().queryKey, (list) =>
        list ? { items: list.items.map((item) => (item.id === lab.id ? lab : item)) } : { items: [lab] },
      );
      return queryClient.invalidateQueries({ queryKey: labKeys.all });
    },
  });
}

/**
 * One more real API call on demand (the lab state read again): what a figure's "Call the
 * API now" button sends, so its latest-call figure shows the protocol and time of now.
 */
export function useCallApiNow(): () => void {
  const queryClient = useQueryClient();
  return () => void queryClient.refetchQueries({ queryKey: labKeys.all });
}
