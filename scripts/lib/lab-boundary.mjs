// The line between the product and the workshop, as a check: product code ("core") never
// reaches the lab layer; only the composition roots name it, inside lab markers
// (lab-markers.mjs). Run by lab-boundary.test.mjs in `npm test`; biome.json's
// noRestrictedImports says the same for imports while you type.
import { hasLabMarkers, stripLabMarkers } from './lab-markers.mjs';

/** Folders whose files are core, except the lab layer's folders below. */
export const CORE_FOLDERS = [
  'apps/api/src/',
  'apps/api/test/',
  'apps/web/src/',
  'apps/web/test/',
  'apps/web/server/',
  'apps/web/vite-plugins/',
  'packages/contract/src/',
];

/** The lab layer of each app and the contract's lab module. */
export const LAB_LAYER_FOLDERS = ['apps/api/src/labs/', 'apps/web/src/labs/', 'packages/contract/src/labs/'];

/**
 * The files that wire the product and, when labs are on, the lab layer together: the
 * composition roots and the config that says whether labs are on.
 */
export const COMPOSITION_ROOTS = [
  'apps/api/src/app.ts',
  'apps/api/src/server.ts',
  'apps/api/src/config.ts',
  'apps/web/src/main.ts',
  'apps/web/src/config.ts',
  'apps/web/server/runtime-config.ts',
  'packages/contract/src/all-endpoints.ts',
];

const SOURCE = /\.(?:[cm]?[jt]s|vue)$/;

/** What core code must not contain, each with the reason a reader is shown. */
export const FORBIDDEN = [
  {
    rule: 'imports the lab layer',
    pattern:
      /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"`](?:[^'"`]*\/labs(?:\/[^'"`]*)?|@tandem\/contract\/labs)['"`]/,
  },
  { rule: 'asks a lab switch', pattern: /\bapp\.labs\b|\.labs\.(?:mode|set|onChange)\(/ },
  {
    rule: 'names a lab type or constant',
    pattern: /\b(?:LabMode|LabId|LAB_IDS|LAB_CATALOGUE|labEndpoints)\b|\bLAB_MODE_/,
  },
  { rule: 'holds lab SQL', pattern: /\bpg_sleep\b/ },
];

/** @param {string} path repository-relative, with forward slashes */
export function isCore(path) {
  return (
    SOURCE.test(path) &&
    CORE_FOLDERS.some((folder) => path.startsWith(folder)) &&
    !LAB_LAYER_FOLDERS.some((folder) => path.startsWith(folder))
  );
}

/**
 * @typedef {{ path: string, line: number, rule: string, text: string }} LabReference
 * @param {{ path: string, text: string }[]} files repository-relative paths and their text
 * @returns {LabReference[]}
 */
export function findLabReferences(files) {
  /** @type {LabReference[]} */
  const found = [];
  for (const { path, text } of files) {
    if (!isCore(path)) continue;
    let body = text;
    if (COMPOSITION_ROOTS.includes(path)) {
      // Checked as `pnpm template:strip` will leave it: what the markers fence is the lab layer's.
      body = stripLabMarkers(text, path, { keepLineNumbers: true }).text;
    } else if (hasLabMarkers(text)) {
      found.push({ path, line: 0, rule: 'carries lab markers outside a composition root', text: '' });
    }
    for (const [index, line] of body.split('\n').entries()) {
      for (const { rule, pattern } of FORBIDDEN) {
        if (pattern.test(line)) found.push({ path, line: index + 1, rule, text: line.trim() });
      }
    }
  }
  return found;
}
