import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, Plugin } from 'vite';
import { type BuiltChunk, measureInitialJs } from './initial-js';
import { INITIAL_JS_BUDGET_KB } from './initial-js-budget';
import { initialJsReport } from './initial-js-report';

/**
 * Prints, at the end of every production build, the initial JS (what index.html loads or
 * modulepreloads, gzip) against the budget and its largest contributors. It never fails the
 * build: the budget test does (build/initial-js-budget.test.ts).
 */
export function initialJsBudget(budgetKb = INITIAL_JS_BUDGET_KB): Plugin {
  let logger: Logger | undefined;
  let lines: string[] = [];
  return {
    name: 'tandem:initial-js-budget',
    apply: 'build',
    configResolved(config) {
      logger = config.logger;
    },
    // Measured on the files as written (source map comment included), as a browser gets them.
    writeBundle(options, bundle) {
      const outDir = options.dir ?? '';
      const chunks: BuiltChunk[] = [];
      const entries: string[] = [];
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const modules = Object.fromEntries(
          Object.entries(output.modules).map(([id, module]) => [id, module.renderedLength]),
        );
        const code = readFileSync(join(outDir, output.fileName), 'utf8');
        chunks.push({ fileName: output.fileName, code, imports: output.imports, modules });
        if (output.isEntry) entries.push(output.fileName);
      }
      lines = entries.flatMap((entry) => initialJsReport(measureInitialJs(entry, chunks), budgetKb));
    },
    closeBundle() {
      for (const line of lines) logger?.info(line);
    },
  };
}
