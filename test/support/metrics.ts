// GraphQL documents of the metrics-config and helpers for performance tests.
export const POLLING_FIELDS = 'perfCollection interval isHistoric';
export const METRICS_CONFIG_FIELDS = `storageId ${['arrayPolling', 'poolPolling', 'volumePolling', 'diskPolling', 'controllerPolling', 'portPolling'].map((k) => `${k} { ${POLLING_FIELDS} }`).join(' ')}`;
export const METRICS_CONFIG = `query MetricsConfig($storageId: ID!) { metricsConfig(storageId: $storageId) { ${METRICS_CONFIG_FIELDS} } }`;
export const UPDATE_METRICS_CONFIG = `mutation UpdateMetricsConfig($storageId: ID!, $input: MetricsConfigInput!) {
  updateMetricsConfig(storageId: $storageId, input: $input) { ${METRICS_CONFIG_FIELDS} }
}`;
export const METRIC_SAMPLES = `subscription Samples($storageId: ID!, $resourceType: ResourceType) {
  metricSamples(storageId: $storageId, resourceType: $resourceType) {
    storageId resourceType samples { resourceType resourceId metric unit timestamp value }
  }
}`;
export const COLLECTIONS = `query Collections($storageId: ID) {
  tasks(storageId: $storageId, first: 200) {
    edges { node { id kind status resourceType message error createdAt
      collection { resourceType windowsPlanned windowsCollected samples retries collectedFrom collectedUntil
        lostWindows { start end reason } skipped { start end reason }
        retriedWindows { start end tries nextTryAt reason } recoveredWindows { start end tries } counterResets { resourceId start end counters } } } }
  }
}`;

export const polling = (perfCollection: boolean, interval: number, isHistoric = false) => ({ perfCollection, interval, isHistoric });
