import { computed } from 'vue';
import { alignedRetryPolicy, defaultRetryPolicy } from '../api/retry-policy';
import { labModes } from './lab-modes';

/**
 * The retry policy the retry-429 lab's setting asks for. src/api/client.ts hands it to
 * `setRetryPolicy` whenever the lab flips, so every call() started after the flip uses it
 * (calls in flight keep theirs).
 */
export const retryPolicyOfLab = computed(() =>
  // lab retry-429: naive → defaultRetryPolicy: what vue-query and axios do out of the box, every
  //                        failed read tried 3 more times after 1, 2, 4 s, a 429 too, Retry-After ignored
  //                tuned → alignedRetryPolicy: a 4xx is final except 429/503, which wait for
  //                        Retry-After (capped by the limiter's own limits); a shared retry budget
  labModes['retry-429'] === 'naive' ? defaultRetryPolicy : alignedRetryPolicy,
);
