// The fuzz suite's operations share (fuzz-shards.ts); the properties are in fuzz-endpoints.ts.
import { fuzzEndpoints } from './fuzz-endpoints.js';

await fuzzEndpoints('operations');
