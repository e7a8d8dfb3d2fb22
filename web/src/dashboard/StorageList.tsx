// Registered storages: state, open alerts, sync state, a capacity bar; a Sync button per storage.
import type { AlertFieldsFragment, StorageFieldsFragment } from './api';
import { CapacityBar } from './CapacityBar';
import { formatTime } from './format';
import { severityName, worstSeverity } from './severity';

interface Props {
  storages: readonly StorageFieldsFragment[];
  /** Open alerts of every storage (the alerts panel's, live). */
  alerts: readonly AlertFieldsFragment[];
  selectedId: string | undefined;
  onSelect(id: string): void;
  onSync(id: string): void;
}

function AlertCount({ alerts }: { alerts: readonly AlertFieldsFragment[] }) {
  if (alerts.length === 0) return <span className="muted">–</span>;
  const worst = worstSeverity(alerts.map((a) => a.severity));
  return (
    <span className={`severity severity-${severityName(worst)}`} data-testid="storage-alerts">
      {alerts.length} open
    </span>
  );
}

export function StorageList({ storages, alerts, selectedId, onSelect, onSync }: Props) {
  if (storages.length === 0) return <p className="muted">No storage registered yet.</p>;
  return (
    <table className="storages">
      <thead>
        <tr>
          <th>Name</th>
          <th>Vendor / model</th>
          <th>Status</th>
          <th>Alerts</th>
          <th>Sync state</th>
          <th>Capacity</th>
          <th>Last synced</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {storages.map((s) => (
          <tr key={s.id} data-storage-id={s.id} className={s.id === selectedId ? 'selected' : undefined} onClick={() => onSelect(s.id)}>
            <td>
              <button type="button" className="link" onClick={() => onSelect(s.id)}>
                {s.name}
              </button>
            </td>
            <td>
              {s.vendor} / {s.model}
            </td>
            <td>
              <span className={`badge badge-${s.status.toLowerCase()}`}>{s.status}</span>
            </td>
            <td>
              <AlertCount alerts={alerts.filter((a) => a.storage.id === s.id)} />
            </td>
            <td className="sync-state">{s.syncState}</td>
            <td>
              <CapacityBar label={`Capacity of ${s.name}`} used={s.usedCapacity} total={s.totalCapacity} />
            </td>
            <td>{formatTime(s.lastSyncedAt)}</td>
            <td>
              <button
                type="button"
                onClick={(e) => {
                  e.stopPropagation();
                  onSync(s.id);
                }}
              >
                Sync
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
