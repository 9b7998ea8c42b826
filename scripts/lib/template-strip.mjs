// Writes the product without the workshop: every tracked file but the workshop's
// (workshop-files.mjs), with the lab markers' blocks and lines cut (lab-markers.mjs), the
// workshop's JSON keys deleted and its packages' importers taken out of pnpm-lock.yaml.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripLabMarkers } from './lab-markers.mjs';
import { isWorkshopPath, WORKSHOP_JSON_KEYS, WORKSHOP_PACKAGES } from './workshop-files.mjs';

/**
 * @param {{ from: string, to: string, files: string[] }} options `files`: repository-relative, e.g. `git ls-files`
 * @returns {{ copied: number, left: string[], edited: string[] }}
 */
export function stripTemplate({ from, to, files }) {
  const left = [];
  const edited = [];
  let copied = 0;
  for (const path of files) {
    if (isWorkshopPath(path)) {
      left.push(path);
      continue;
    }
    let content = readFileSync(join(from, path));
    if (!isBinary(content)) {
      let text = content.toString('utf8');
      const stripped = stripLabMarkers(text, path);
      if (stripped.removedLines > 0) text = stripped.text;
      text = withoutJsonKeys(path, text);
      if (path === 'pnpm-lock.yaml') text = withoutImporters(text, WORKSHOP_PACKAGES);
      if (text !== content.toString('utf8')) {
        edited.push(path);
        content = Buffer.from(text, 'utf8');
      }
    }
    mkdirSync(dirname(join(to, path)), { recursive: true });
    writeFileSync(join(to, path), content);
    copied += 1;
  }
  return { copied, left, edited };
}

/** @param {Buffer} content */
function isBinary(content) {
  return content.subarray(0, 8192).includes(0);
}

/** @param {string} path @param {string} text */
function withoutJsonKeys(path, text) {
  const entry = WORKSHOP_JSON_KEYS.find((candidate) => candidate.file === path);
  if (!entry) return text;
  const json = JSON.parse(text);
  for (const keyPath of entry.keys) {
    const parent = keyPath.slice(0, -1).reduce((node, key) => node?.[key], json);
    if (parent && typeof parent === 'object') delete parent[keyPath[keyPath.length - 1]];
  }
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * pnpm-lock.yaml without the `importers:` entries of the given workspace packages (their
 * block, two spaces in, up to the next entry); `pnpm install` then prunes what only they used.
 * @param {string} text
 * @param {string[]} packages
 */
export function withoutImporters(text, packages) {
  const lines = text.split('\n');
  const out = [];
  let section = '';
  let skipping = false;
  for (const line of lines) {
    if (/^\S/.test(line)) section = line;
    const entry = /^ {2}(\S[^:]*):\s*$/.exec(line);
    if (section === 'importers:' && entry) skipping = packages.includes(entry[1]);
    else if (/^\S/.test(line)) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}
