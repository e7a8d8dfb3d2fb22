// One storage: its summary and capacity, its pools (with capacity bars) and volumes (paged),
// its sync schedule, its metrics settings and live performance chart. `version` changes when one
// of its tasks ends, so the tables are read again.
import { StoragePoolsDocument, VolumesDocument, type DelfinClient, type PoolFieldsFragment, type StorageFieldsFragment, type VolumeFieldsFragment } from './api';
import { CapacityBar } from './CapacityBar';
import { formatBytes, formatTime } from './format';
import { MetricsPanel } from './MetricsPanel';
import { PagedTable } from './PagedTable';
import { PerformanceChart } from './PerformanceChart';
import { SchedulePanel } from './SchedulePanel';

const PAGE_SIZE = 25;

interface Props {
  client: DelfinClient;
  storage: StorageFieldsFragment;
  version: number;
}

export function StorageDetail({ client, storage: s, version }: Props) {
  return (
    <section className="panel detail" data-storage-id={s.id}>
      <h2>{s.name}</h2>
      <dl className="facts">
        <dt>Vendor / model</dt>
        <dd>
          {s.vendor} / {s.model}
        </dd>
        <dt>Serial number</dt>
        <dd>{s.serialNumber}</dd>
        <dt>Status</dt>
        <dd>{s.status}</dd>
        <dt>Sync state</dt>
        <dd data-testid="detail-sync-state">{s.syncState}</dd>
        <dt>Capacity</dt>
        <dd data-testid="detail-capacity">
          <CapacityBar label={`Capacity of ${s.name}`} used={s.usedCapacity} total={s.totalCapacity} />
          <span className="muted">{formatBytes(s.freeCapacity)} free</span>
        </dd>
        <dt>Last synced</dt>
        <dd>{formatTime(s.lastSyncedAt)}</dd>
      </dl>
      <div className="columns">
        <SchedulePanel client={client} storageId={s.id} />
        <MetricsPanel client={client} storageId={s.id} />
      </div>
      <PerformanceChart client={client} storageId={s.id} />
      <PagedTable<PoolFieldsFragment>
        title="Pools"
        version={`${s.id}:${version}`}
        pageSize={PAGE_SIZE}
        load={(first, after) => client.request(StoragePoolsDocument, { storageId: s.id, first, ...(after ? { after } : {}) }).then((d) => d.storagePools)}
        headers={['Name', 'Native id', 'Status', 'Capacity', 'Free']}
        row={(p) => [p.name, p.nativeStoragePoolId, p.status, <CapacityBar label={`Capacity of pool ${p.name}`} used={p.usedCapacity} total={p.totalCapacity} />, formatBytes(p.freeCapacity)]}
        rowKey={(p) => p.id}
      />
      <PagedTable<VolumeFieldsFragment>
        title="Volumes"
        version={`${s.id}:${version}`}
        pageSize={PAGE_SIZE}
        load={(first, after) => client.request(VolumesDocument, { storageId: s.id, first, ...(after ? { after } : {}) }).then((d) => d.volumes)}
        headers={['Name', 'Native id', 'Pool', 'Status', 'Total', 'Used']}
        row={(v) => [v.name, v.nativeVolumeId, v.pool?.name ?? v.nativeStoragePoolId ?? '–', v.status, formatBytes(v.totalCapacity), formatBytes(v.usedCapacity)]}
        rowKey={(v) => v.id}
      />
    </section>
  );
}
