// A storage's performance as it is collected: one metric at a time (IOPS first), chosen from
// those the samples carry, live from the metricSamples subscription.
import { useState } from 'react';
import type { DelfinClient } from './api';
import { ErrorLine } from './ErrorLine';
import { LineChart } from './LineChart';
import { useMetricSamples } from './useMetricSamples';

const FIRST_CHOICE = 'iops';

export function PerformanceChart({ client, storageId }: { client: DelfinClient; storageId: string }) {
  const { series, error } = useMetricSamples(client, storageId);
  const [chosen, setChosen] = useState(FIRST_CHOICE);
  const metrics = [...series.keys()].sort();
  const metric = series.has(chosen) ? chosen : metrics[0];
  const shown = metric === undefined ? undefined : series.get(metric);

  return (
    <section className="panel performance" aria-label="Performance">
      <h3>Performance</h3>
      <ErrorLine error={error} />
      {metric === undefined || !shown ? (
        <p className="muted">No samples since this page opened. They arrive as the array is polled (Metrics collection above).</p>
      ) : (
        <>
          <label className="row">
            Metric
            <select value={metric} onChange={(e) => setChosen(e.target.value)}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {m} ({series.get(m)!.unit})
                </option>
              ))}
            </select>
          </label>
          <LineChart label={`${metric} (${shown.unit})`} times={shown.times} values={shown.values} />
        </>
      )}
    </section>
  );
}
