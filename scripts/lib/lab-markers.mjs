// The markers that fence the lab layer inside product files. The composition roots name the
// workshop once each, inside a marked block or on a marked line; `pnpm template:strip` cuts
// exactly those, and the lab-boundary check reads a composition root as it will be stripped.
//
//   // #region labs          # #region labs           <!-- #region labs -->
//   …                        …                        …
//   // #endregion labs       # #endregion labs        <!-- #endregion labs -->
//
//   import { labLayer } from './labs/index.js'; // #labs      (one line; for imports a formatter sorts)
//   | labs/ | `pnpm lab` | <!-- #labs -->                     (one Markdown table row)

const REGION_START = /^\s*(?:\/\/|#|<!--)\s*#region labs\b/;
const REGION_END = /^\s*(?:\/\/|#|<!--)\s*#endregion labs\b/;
const MARKED_LINE = /(?:\/\/|#|<!--)\s*#labs\s*(?:-->)?\s*\|?\s*$/;

export class LabMarkerError extends Error {
  name = 'LabMarkerError';
}

/**
 * The text without its lab regions and marked lines.
 * @param {string} text
 * @param {string} [where] named in errors, e.g. the file's path
 * @param {{ keepLineNumbers?: boolean }} [options] leave an empty line for each removed one
 * @returns {{ text: string, removedLines: number }}
 */
export function stripLabMarkers(text, where = 'text', { keepLineNumbers = false } = {}) {
  const lines = text.split('\n');
  /** @type {string[]} */
  const kept = [];
  let openedAt = 0;
  let removedLines = 0;
  for (const [index, line] of lines.entries()) {
    if (REGION_START.test(line)) {
      if (openedAt)
        throw new LabMarkerError(`${where}:${index + 1}: #region labs inside the one opened at line ${openedAt}`);
      openedAt = index + 1;
      removedLines += 1;
      if (keepLineNumbers) kept.push('');
    } else if (REGION_END.test(line)) {
      if (!openedAt) throw new LabMarkerError(`${where}:${index + 1}: #endregion labs without a #region labs`);
      openedAt = 0;
      removedLines += 1;
      if (keepLineNumbers) kept.push('');
    } else if (openedAt || MARKED_LINE.test(line)) {
      removedLines += 1;
      if (keepLineNumbers) kept.push('');
    } else {
      kept.push(line);
    }
  }
  if (openedAt) throw new LabMarkerError(`${where}:${openedAt}: #region labs is never closed`);
  return { text: kept.join('\n'), removedLines };
}

/** @param {string} text */
export function hasLabMarkers(text) {
  return text.split('\n').some((line) => REGION_START.test(line) || REGION_END.test(line) || MARKED_LINE.test(line));
}
