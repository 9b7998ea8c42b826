import { describe, expect, it } from 'vitest';
import { hasLabMarkers, LabMarkerError, stripLabMarkers } from './lab-markers.mjs';

describe('stripLabMarkers', () => {
  it('cuts regions in each comment syntax and marked lines, and keeps the rest as it was', () => {
    const text = [
      "import { a } from './a.js';",
      "import { labLayer } from './labs/index.js'; // #labs",
      'const app = build();',
      '// #region labs',
      'if (labs) app.register(labLayer);',
      '// #endregion labs',
      '  # #region labs',
      '  LAB_MODE_TIMEOUT: tuned',
      '  # #endregion labs',
      '<!-- #region labs -->',
      '## The labs',
      '<!-- #endregion labs -->',
      '  - labs # #labs',
      '| labs/ | `pnpm lab` | <!-- #labs --> |',
      'export default app;',
    ].join('\n');
    const { text: stripped, removedLines } = stripLabMarkers(text);
    expect(stripped).toBe(["import { a } from './a.js';", 'const app = build();', 'export default app;'].join('\n'));
    expect(removedLines).toBe(12);
  });

  it('leaves a text without markers unchanged', () => {
    const text = 'const labs = "the word alone is no marker";\n# #region other\n';
    expect(stripLabMarkers(text).text).toBe(text);
    expect(hasLabMarkers(text)).toBe(false);
  });

  it('refuses unbalanced or nested regions, naming the place', () => {
    expect(() => stripLabMarkers('a\n// #region labs\nb', 'x.ts')).toThrow(
      new LabMarkerError('x.ts:2: #region labs is never closed'),
    );
    expect(() => stripLabMarkers('// #endregion labs', 'x.ts')).toThrow(/x\.ts:1: #endregion labs without/);
    expect(() => stripLabMarkers('// #region labs\n// #region labs\n// #endregion labs', 'x.ts')).toThrow(
      /x\.ts:2: #region labs inside/,
    );
  });
});
