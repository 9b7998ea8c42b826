/** The most orders one list page holds (`limit`). */
export const MAX_PAGE_SIZE = 100;
/** The page size when a list call sends no `limit`, and the SPA's own until a person picks another. */
export const DEFAULT_PAGE_SIZE = 20;
