import { LAB_CATALOGUE, LAB_IDS, type Lab, type LabMode } from '@tandem/contract/labs';
import { QueryClient } from '@tanstack/vue-query';
import { afterEach, describe, expect, it } from 'vitest';
import { closesOnDispose } from '../live/close-on-dispose';
import { followLabState } from './follow-lab-state';
import { applyLabModes, labModes } from './lab-modes';
import { labsQuery } from './labs.queries';

const labsIn = (modes: Partial<Record<Lab['id'], LabMode>>): { items: Lab[] } => ({
  items: LAB_IDS.map((id) => ({ id, ...LAB_CATALOGUE[id], mode: modes[id] ?? 'tuned', docs: `docs/labs/${id}.md` })),
});

let stop = () => {};
afterEach(() => {
  stop();
  applyLabModes(LAB_IDS.map((id) => ({ id, mode: 'tuned' })));
});

describe('followLabState', () => {
  it('applies the lab list whenever the cache receives it', () => {
    const queryClient = new QueryClient();
    stop = followLabState(queryClient);
    expect(closesOnDispose()).toBe(true);

    queryClient.setQueryData(labsQuery().queryKey, labsIn({ leaks: 'naive', 'h2-sse': 'naive' }));
    expect(labModes.leaks).toBe('naive');
    expect(labModes['h2-sse']).toBe('naive');
    expect(closesOnDispose()).toBe(false);

    queryClient.setQueryData(labsQuery().queryKey, labsIn({}));
    expect(labModes.leaks).toBe('tuned');
  });

  it('applies a list already in the cache when it starts', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(labsQuery().queryKey, labsIn({ heartbeat: 'naive' }));
    stop = followLabState(queryClient);
    expect(labModes.heartbeat).toBe('naive');
  });
});
