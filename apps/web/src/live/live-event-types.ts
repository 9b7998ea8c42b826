import { LiveEvent } from '@tandem/contract';

/**
 * Every `event:` name the stream sends, read from the contract. An EventSource hands a
 * named event only to a listener registered for that name (`onmessage` sees none of
 * them), so a new event type in the contract is listened to without touching the app.
 */
export const LIVE_EVENT_TYPES: readonly LiveEvent['type'][] = LiveEvent.options.map(
  (option) => option.shape.type.value,
);
