import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardFiles, dashboardsDir } from './dashboard-files.js';

/**
 * Writes grafana/dashboards/<name>.json from src/dashboards/. With `--check`, writes
 * nothing and exits 1 when a committed file differs from what the code generates.
 */
const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(dashboardsDir, { recursive: true });
for (const { file, text } of dashboardFiles()) {
  const path = join(dashboardsDir, file);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  if (check) stale.push(file);
  else {
    writeFileSync(path, text);
    console.log(`wrote grafana/dashboards/${file}`);
  }
}
if (stale.length > 0) {
  console.error(`Stale dashboards: ${stale.join(', ')}. Run: pnpm --filter @tandem/observability dashboards`);
  process.exit(1);
}
if (check) console.log('grafana/dashboards/*.json are fresh');
