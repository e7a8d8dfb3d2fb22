// One window's samples to the exporters (NATS, and through it Prometheus and the subscription).
import type { MetricSeries, ResourceType } from '../../../drivers/driver.js';
import { toBatches } from '../../../exporters/metric-batch.js';
import type { PollingConfig } from '../../../db/stores/metrics-config-store.js';
import type { TaskContext } from '../../runtime/task-context.js';
import type { Window } from './collection-windows.js';
import type { StorageLabels } from './resource-labels.js';
import type { WorkingRecord } from './collection-record.js';

/** What one performance poll works with. */
export interface Poll {
  type: ResourceType;
  polling: PollingConfig;
  labels: StorageLabels;
  metrics: string[];
  names: Map<string, string>;
  record: WorkingRecord;
}

/** Hands the series to the exporters and counts them in the record. */
export async function exportSeries(ctx: TaskContext, p: Poll, window: Window, series: MetricSeries[]): Promise<void> {
  const header = {
    storageId: ctx.storageId,
    storageName: p.labels.name,
    serialNumber: p.labels.serialNumber,
    resourceType: p.type,
    intervalSeconds: p.polling.interval,
    window: { start: window.start, end: window.end },
  };
  await ctx.services.metrics?.dispatch(toBatches(header, series, p.names));
  p.record.windowsCollected++;
  p.record.samples += series.reduce((n, s) => n + s.values.length, 0);
}
