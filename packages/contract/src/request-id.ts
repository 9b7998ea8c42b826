/** The header that carries a request's id from the browser to every server log line and back. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What the API accepts as a caller's request id (bounded length, characters safe in
 * logs and headers); anything else is replaced by a server-generated UUID.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
