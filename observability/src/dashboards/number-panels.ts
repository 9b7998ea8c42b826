import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Gives every row and panel a distinct id (1, 2, ... in layout order): the builders leave
 * them unset or 0, and Grafana links, embeds and `viewPanel=` need them unique and stable.
 */
export function numberPanels(dashboard: Dashboard): Dashboard {
  let next = 1;
  const panels = (dashboard.panels ?? []).map((panel) => {
    const numbered = { ...panel, id: next++ };
    if (numbered.type === 'row' && 'panels' in numbered && Array.isArray(numbered.panels)) {
      numbered.panels = numbered.panels.map((inner) => ({ ...inner, id: next++ }));
    }
    return numbered;
  });
  return { ...dashboard, panels };
}
