// A storage's performance as it is collected: one metric at a time (IOPS first), chosen from
// those the samples carry, live from the metricSamples subscription. The chart library is
// loaded with the first samples, so the page opens without it.
import { lazy, Suspense, useState } from 'react';
import type { DelfinClient } from './api';
import { ErrorLine } from './ErrorLine';
import { useMetricSamples } from './useMetricSamples';

const LineChart = lazy(() => import('./LineChart').then((m) => ({ default: m.LineChart })));

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
          <Suspense fallback={<p className="muted">Loading the chart…</p>}>
            <LineChart label={`${metric} (${shown.unit})`} times={shown.times} values={shown.values} />
          </Suspense>
        </>
      )}
    </section>
  );
}
