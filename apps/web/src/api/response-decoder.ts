/**
 * Reads the JSON of a success answer into the `data` a call returns, in place of the
 * contract's decode. Without one (the default), `call()` decodes with the endpoint's
 * response schema: RFC 3339 UTC strings become `Date`s, and anything the contract does not
 * allow is a `BAD_RESPONSE`. A decoder of its own suits an API the contract does not
 * describe yet, or a comparison of decoders; error answers are always read as the
 * contract's ErrorEnvelope.
 */
export type ResponseDecoder = (json: unknown) => unknown;

let decoderInUse: ResponseDecoder | undefined;

/** The decoder the next answers are read with; `undefined`: the contract's. */
export function responseDecoderInUse(): ResponseDecoder | undefined {
  return decoderInUse;
}

/** Swaps how success answers are read (`undefined`: back to the contract's decode). */
export function setResponseDecoder(decoder: ResponseDecoder | undefined): void {
  decoderInUse = decoder;
}
