/**
 * The SPA's lab layer as the workshop's scripts (labs/src/) load it in Node, as
 * `@tandem/web/labs`: nothing here needs a browser or Vite. The browser loads the layer
 * through install-labs.ts instead.
 */
export { applyLabModes, labModes } from './lab-modes';
export { naiveSuccessData, reviveDatesAdHoc } from './naive-dates';
