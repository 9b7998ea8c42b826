// The fuzz suite's accounts share (fuzz-shards.ts); the properties are in fuzz-endpoints.ts.
import { fuzzEndpoints } from './fuzz-endpoints.js';

await fuzzEndpoints('accounts');
