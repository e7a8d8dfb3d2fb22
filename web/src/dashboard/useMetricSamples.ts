// The array's own performance (resource type STORAGE) from the `metricSamples` subscription, as
// one series per metric. The subscription is live only: the chart fills from the first batch a
// worker exports after the page opened. Windows overlap, so a timestamp seen twice is kept once.
import { useEffect, useState } from 'react';
import { MetricSamplesDocument, type DelfinClient, type MetricSamplesSubscription, type ShownError } from './api';
import { followSubscription } from './followSubscription';

/** The newest points kept per metric (15 minutes at one sample a second). */
const MAX_POINTS = 900;

export interface MetricSeries {
  unit: string;
  /** Unix seconds, ascending. */
  times: number[];
  values: number[];
}

export interface MetricSamples {
  series: ReadonlyMap<string, MetricSeries>;
  error: ShownError | undefined;
}

type Batch = MetricSamplesSubscription['metricSamples'];

/** A new map with the batch's samples merged in by time, oldest dropped past MAX_POINTS. */
function merge(prev: ReadonlyMap<string, MetricSeries>, batch: Batch): ReadonlyMap<string, MetricSeries> {
  const points = new Map<string, { unit: string; byTime: Map<number, number> }>();
  for (const [metric, s] of prev) points.set(metric, { unit: s.unit, byTime: new Map(s.times.map((t, i) => [t, s.values[i]!])) });
  for (const sample of batch.samples) {
    const entry = points.get(sample.metric) ?? { unit: sample.unit, byTime: new Map<number, number>() };
    entry.byTime.set(Date.parse(sample.timestamp) / 1000, sample.value);
    points.set(sample.metric, entry);
  }
  const next = new Map<string, MetricSeries>();
  for (const [metric, { unit, byTime }] of points) {
    const times = [...byTime.keys()].sort((a, b) => a - b).slice(-MAX_POINTS);
    next.set(metric, { unit, times, values: times.map((t) => byTime.get(t)!) });
  }
  return next;
}

export function useMetricSamples(client: DelfinClient, storageId: string): MetricSamples {
  const [series, setSeries] = useState<ReadonlyMap<string, MetricSeries>>(new Map());
  const [error, setError] = useState<ShownError>();

  useEffect(() => {
    setSeries(new Map());
    return followSubscription({
      open: () => client.subscribe(MetricSamplesDocument, { storageId, resourceType: 'STORAGE' }),
      onEvent: ({ metricSamples }) => {
        if (metricSamples.samples.length > 0) setSeries((prev) => merge(prev, metricSamples));
      },
      onError: setError,
    });
  }, [client, storageId]);

  return { series, error };
}
