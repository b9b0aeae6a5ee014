// The operators' two routes: GET /healthz (the health report as JSON, 200 or 503) and GET /metrics (Prometheus text).
import type { MingaStatus } from '../src/app.js';
import type { OpsRoute } from '../src/adapter.js';
import type { Metrics } from './metrics.js';

export function opsRoutes(status: MingaStatus, metrics: Metrics): OpsRoute[] {
  metrics.readLagFrom(status.schedulerLag);
  return [
    {
      path: '/healthz',
      async respond() {
        const report = await status.health();
        return { status: report.ok ? 200 : 503, contentType: 'application/json; charset=utf-8', body: JSON.stringify(report) };
      },
    },
    {
      path: '/metrics',
      async respond() {
        return { status: 200, contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
      },
    },
  ];
}
