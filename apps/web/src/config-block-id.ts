/**
 * The id of the JSON block the web server puts in index.html (`<script type="application/json">`):
 * the SPA's settings, written at run time (server/config-block.ts) and read once (read-config-block.ts).
 */
export const CONFIG_BLOCK_ID = 'tandem-config';
