import { type ActiveApiVersion, setActiveApiVersion, versionProblemOf } from './active-api-version';
import { apiVersionLabel } from './api-version-label';
import { discoverApiVersion } from './discover-api-version';
import { loadApiVersion } from './load-api-version';

/**
 * Learns this client's API version and loads its module (main.ts, while the app mounts);
 * the data views, calls and streams wait for it (active-api-version.ts). Ends on v1 when the check fails or v2's chunk does not load, and says so in
 * the console (and in the footer, App.vue); only v1's chunk failing to load is thrown.
 */
export async function startApiVersion(search: string): Promise<ActiveApiVersion> {
  const discovery = await discoverApiVersion(search);
  if (discovery.canary.kind === 'invalid') {
    console.warn(`?canary=${discovery.canary.value} names no API version (v1, v2): not sent to the API.`);
  }
  let active: ActiveApiVersion;
  try {
    active = { module: await loadApiVersion(discovery.version), discovery };
  } catch (error) {
    if (discovery.version === 'v1') throw error;
    active = {
      module: await loadApiVersion('v1'),
      discovery,
      loadProblem: `the ${discovery.version} module did not load (${String(error)})`,
    };
  }
  setActiveApiVersion(active);
  const problem = versionProblemOf(active);
  if (problem) console.warn(`${apiVersionLabel(active)}: ${problem}.`);
  else console.info(`${apiVersionLabel(active)}.`);
  return active;
}
