import { computed } from 'vue';
import { config } from '../config';
import { labModes } from './lab-modes';

/**
 * The API origin every request of this tab goes to: the axios instance (src/api/client.ts
 * follows it), the EventSource and the WebSocket. Reactive: flipping the h2-sse lab moves
 * the next calls, and reopens the live streams, on the other listener.
 */
export const apiOrigin = computed(() =>
  // lab h2-sse: naive → the HTTP/1.1-only listener (each EventSource holds one of 6 connections)
  //             tuned → the HTTP/2 listener (one connection, many streams)
  labModes['h2-sse'] === 'naive' ? config.apiH1Url : config.apiUrl,
);
