// The api side of the metrics benchmark in a process of its own, so its memory is measured
// alone: the Prometheus exporter fed from NATS exactly as in an api process. It reports the
// samples received and the series held to its parent every 50 ms.
import { connect } from '@nats-io/transport-node';
import { MetricsFeed } from '../src/exporters/metrics-feed.js';
import { PrometheusExporter } from '../src/exporters/prometheus-exporter.js';
import type { MetricBatch } from '../src/exporters/metric-batch.js';
import { createLogger } from '../src/logger.js';

const [natsUrl, namespace] = process.argv.slice(2) as [string, string];
const nc = await connect({ servers: natsUrl });
const exporter = new PrometheusExporter();
let received = 0;
const counting = {
  name: 'count',
  export: (b: MetricBatch) => {
    for (const r of b.resources) for (const values of Object.values(r.values)) received += values.length;
  },
  retire: () => undefined,
};
const feed = new MetricsFeed(nc, namespace, [exporter, counting], createLogger('warn'));
feed.start();
await nc.flush();
process.send!({ ready: true });
setInterval(() => process.send!({ received, series: exporter.seriesCount }), 50);
process.on('disconnect', () => process.exit(0));
