import { coreEndpoints, LiveEvent, WsServerMessage } from '@tandem/contract';

/**
 * What the live channels read from the contract: where they connect, and how what they
 * receive is checked. Loaded by load-live-contract.ts when they may open.
 */
export const liveContract = {
  /** `GET /api/v1/events`: each event is decoded with `schema` (dates become `Date`s). */
  events: {
    path: coreEndpoints.orderEvents.path,
    schema: LiveEvent,
    /**
     * Every `event:` name the stream sends. An EventSource hands a named event only to a
     * listener registered for that name (`onmessage` sees none of them), so a new event
     * type in the contract is listened to without touching the app.
     */
    types: LiveEvent.options.map((option) => option.shape.type.value) as readonly LiveEvent['type'][],
  },
  /** `GET /api/v1/ws`: each frame the server sends is checked with `schema`. */
  socket: { path: coreEndpoints.liveSocket.path, schema: WsServerMessage },
};

export type LiveContract = typeof liveContract;
