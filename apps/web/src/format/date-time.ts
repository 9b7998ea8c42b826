const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A `Date` (decoded by the contract's codec) as the reader's local date and time. */
export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}
