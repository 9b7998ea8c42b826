import { ordersBrowse } from './orders-browse-scenario.js';
import { ordersLoad } from './orders-load-scenario.js';
import type { Scenario } from './scenario.js';

/** The workloads `pnpm profile <scenario>` can record. */
export const SCENARIOS = {
  'orders-browse': ordersBrowse,
  'orders-load': ordersLoad,
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export const isScenarioName = (name: string): name is ScenarioName => Object.hasOwn(SCENARIOS, name);
