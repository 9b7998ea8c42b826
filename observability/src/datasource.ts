import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** The provisioned Prometheus (grafana/provisioning/datasources/prometheus.yml): every panel names it by this uid. */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'tandem-prometheus' } as const satisfies DataSourceRef;
