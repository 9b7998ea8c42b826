// Relative links in the repository's Markdown, checked: every `[text](path)` and `![alt](path)`
// that is not a URL must name a file or folder that exists, and a `#fragment` into a Markdown
// file must name one of its headings (GitHub's anchors). Code spans and fenced blocks are skipped.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;

/**
 * The link targets of a Markdown text with their line numbers.
 * @param {string} text
 * @returns {{ target: string, line: number }[]}
 */
export function markdownLinks(text) {
  /** @type {{ target: string, line: number }[]} */
  const links = [];
  let fence = '';
  for (const [index, raw] of text.split('\n').entries()) {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length) fence = '';
      continue;
    }
    if (opening) {
      fence = opening[1];
      continue;
    }
    const line = raw.replace(/(`+)(?:(?!\1).)+\1/g, '');
    const definition = REFERENCE_DEFINITION.exec(line);
    if (definition) links.push({ target: definition[1], line: index + 1 });
    for (const match of line.matchAll(INLINE_LINK)) links.push({ target: match[1], line: index + 1 });
  }
  return links;
}

/**
 * GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
 * @param {string} heading
 */
export function headingAnchor(heading) {
  // HTML tags count only outside code spans: `<request-id>` in backticks is text.
  const text = heading
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part.slice(1, -1) : part.replace(/<[^>]+>/g, '')))
    .join('');
  return text
    .trim()
    .toLowerCase()
    .replace(/[*_~]|\[|\]\([^)]*\)/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** @param {string} text */
export function headingAnchors(text) {
  /** @type {Map<string, number>} */
  const seen = new Map();
  const anchors = new Set();
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(line)) fence = !fence;
    const heading = !fence && /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/**
 * The broken relative links of the given Markdown files.
 * @param {string} root the repository folder
 * @param {string[]} files repository-relative Markdown paths
 * @returns {{ file: string, line: number, target: string, problem: string }[]}
 */
export function brokenMarkdownLinks(root, files) {
  /** @type {{ file: string, line: number, target: string, problem: string }[]} */
  const broken = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const { target, line } of markdownLinks(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const [pathPart, fragment] = splitFragment(target);
      const resolved = pathPart === '' ? join(root, file) : normalize(join(root, dirname(file), decodeURI(pathPart)));
      if (!resolved.startsWith(normalize(root))) {
        broken.push({ file, line, target, problem: 'points outside the repository' });
      } else if (!existsSync(resolved)) {
        broken.push({ file, line, target, problem: 'no such file' });
      } else if (fragment && resolved.endsWith('.md') && statSync(resolved).isFile()) {
        if (!headingAnchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(fragment).toLowerCase())) {
          broken.push({ file, line, target, problem: `no heading #${fragment}` });
        }
      }
    }
  }
  return broken;
}

/** @param {string} target @returns {[string, string]} */
function splitFragment(target) {
  const hash = target.indexOf('#');
  return hash === -1 ? [target, ''] : [target.slice(0, hash), target.slice(hash + 1)];
}
