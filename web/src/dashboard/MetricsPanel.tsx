// The storage's metrics collection settings (metricsConfig / updateMetricsConfig, as
// ../shared/design/api-contract.graphql defines them). Written as plain documents, not
// codegen operations: a server without these fields answers with a validation error, which
// the panel shows like any other error.
import { parse } from 'graphql';
import { useEffect, useState } from 'react';
import type { TypedDocumentNode } from '../../../src/client/client';
import { describeError, type DelfinClient, type ShownError } from './api';
import { ErrorLine } from './ErrorLine';

interface PollingConfig {
  perfCollection: boolean;
  interval: number;
  isHistoric: boolean;
}

const LEVELS = ['arrayPolling', 'poolPolling', 'volumePolling', 'diskPolling', 'controllerPolling', 'portPolling'] as const;
type Level = (typeof LEVELS)[number];
type MetricsConfig = { storageId: string } & Record<Level, PollingConfig>;

const FIELDS = `storageId ${LEVELS.map((l) => `${l} { perfCollection interval isHistoric }`).join(' ')}`;

const METRICS_CONFIG = parse(`query MetricsConfig($storageId: ID!) { metricsConfig(storageId: $storageId) { ${FIELDS} } }`) as TypedDocumentNode<
  { metricsConfig: MetricsConfig },
  { storageId: string }
>;

const UPDATE_METRICS_CONFIG = parse(
  `mutation UpdateMetricsConfig($storageId: ID!, $input: MetricsConfigInput!) { updateMetricsConfig(storageId: $storageId, input: $input) { ${FIELDS} } }`,
) as TypedDocumentNode<{ updateMetricsConfig: MetricsConfig }, { storageId: string; input: Partial<Record<Level, PollingConfig>> }>;

const LABELS: Record<Level, string> = {
  arrayPolling: 'Array',
  poolPolling: 'Pools',
  volumePolling: 'Volumes',
  diskPolling: 'Disks',
  controllerPolling: 'Controllers',
  portPolling: 'Ports',
};

export function MetricsPanel({ client, storageId }: { client: DelfinClient; storageId: string }) {
  const [config, setConfig] = useState<MetricsConfig>();
  const [error, setError] = useState<ShownError>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    setConfig(undefined);
    setError(undefined);
    client.request(METRICS_CONFIG, { storageId }).then(
      (d) => setConfig(d.metricsConfig),
      (err: unknown) => setError(describeError(err)),
    );
  }, [client, storageId]);

  const edit = (level: Level, change: Partial<PollingConfig>) => {
    setSaved(false);
    setConfig((c) => (c ? { ...c, [level]: { ...c[level], ...change } } : c));
  };

  async function save() {
    if (!config) return;
    setError(undefined);
    try {
      const input = Object.fromEntries(LEVELS.map((l) => [l, config[l]]));
      const d = await client.request(UPDATE_METRICS_CONFIG, { storageId, input });
      setConfig(d.updateMetricsConfig);
      setSaved(true);
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <section className="panel metrics" aria-label="Metrics collection">
      <h3>Metrics collection</h3>
      <ErrorLine error={error} />
      {config && (
        <>
          <table>
            <thead>
              <tr>
                <th>Level</th>
                <th>Collect</th>
                <th>Interval (s)</th>
                <th>Historic</th>
              </tr>
            </thead>
            <tbody>
              {LEVELS.map((level) => (
                <tr key={level}>
                  <td>{LABELS[level]}</td>
                  <td>
                    <input type="checkbox" checked={config[level].perfCollection} onChange={(e) => edit(level, { perfCollection: e.target.checked })} aria-label={`${LABELS[level]}: collect`} />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={1}
                      value={config[level].interval}
                      onChange={(e) => edit(level, { interval: Number(e.target.value) })}
                      aria-label={`${LABELS[level]}: interval in seconds`}
                    />
                  </td>
                  <td>
                    <input type="checkbox" checked={config[level].isHistoric} onChange={(e) => edit(level, { isHistoric: e.target.checked })} aria-label={`${LABELS[level]}: historic`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => void save()}>
            Save
          </button>{' '}
          {saved && <span className="muted">saved</span>}
        </>
      )}
    </section>
  );
}
