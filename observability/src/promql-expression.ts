import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

/**
 * Grafana's interval variables, replaced by a concrete range before PromQL sees them.
 * `$__rate_interval` is the only one the dashboards use.
 */
export function withGrafanaVariables(expr: string, rateInterval: string): string {
  return expr.replaceAll('$__rate_interval', rateInterval).replaceAll('$__interval', rateInterval);
}

export interface ParsedPromql {
  /** Positions and text around each error node; empty when the expression parses. */
  errors: string[];
  /** The metric names it selects (`foo` in `rate(foo{a="b"}[1m])`). */
  metricNames: string[];
}

/** Parses PromQL with the grammar Prometheus's own UI uses (@prometheus-io/lezer-promql). */
export function parsePromql(expr: string): ParsedPromql {
  const errors: string[] = [];
  const metricNames = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.to + 20)}…`);
      if (node.name === 'Identifier' && isSelectorName(node.node)) metricNames.add(expr.slice(node.from, node.to));
    },
  });
  return { errors, metricNames: [...metricNames] };
}

function isSelectorName(node: SyntaxNode): boolean {
  return node.parent?.name === 'VectorSelector';
}
