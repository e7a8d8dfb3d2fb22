// One storage: its summary, its pools and volumes (paged), its sync schedule, its metrics
// settings. `version` changes when one of its tasks ends, so the tables are read again.
import { StoragePoolsDocument, VolumesDocument, type DelfinClient, type PoolFieldsFragment, type StorageFieldsFragment, type VolumeFieldsFragment } from './api';
import { formatBytes, formatTime } from './format';
import { MetricsPanel } from './MetricsPanel';
import { PagedTable } from './PagedTable';
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
        <dd>
          {formatBytes(s.totalCapacity)} total, {formatBytes(s.usedCapacity)} used, {formatBytes(s.freeCapacity)} free
        </dd>
        <dt>Last synced</dt>
        <dd>{formatTime(s.lastSyncedAt)}</dd>
      </dl>
      <div className="columns">
        <SchedulePanel client={client} storageId={s.id} />
        <MetricsPanel client={client} storageId={s.id} />
      </div>
      <PagedTable<PoolFieldsFragment>
        title="Pools"
        version={`${s.id}:${version}`}
        pageSize={PAGE_SIZE}
        load={(first, after) => client.request(StoragePoolsDocument, { storageId: s.id, first, ...(after ? { after } : {}) }).then((d) => d.storagePools)}
        headers={['Name', 'Native id', 'Status', 'Total', 'Used', 'Free']}
        row={(p) => [p.name, p.nativeStoragePoolId, p.status, formatBytes(p.totalCapacity), formatBytes(p.usedCapacity), formatBytes(p.freeCapacity)]}
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
