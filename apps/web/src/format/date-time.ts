// Made on first use, not when the module loads: a page's first Intl formatter loads the locale's
// data (tens of ms on a busy machine), which the first paint does not need to wait for.
let dateTimeFormat: Intl.DateTimeFormat | undefined;

/** A `Date` (decoded by the contract's codec) as the reader's local date and time. */
export function formatDateTime(date: Date): string {
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return dateTimeFormat.format(date);
}
