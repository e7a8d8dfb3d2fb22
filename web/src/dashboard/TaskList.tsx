// Tasks as they run: a progress bar per task, fed by the taskEvents subscription; at the end,
// "done" with the SyncStats, or the reason it FAILED or was CANCELLED.
import type { SyncStatsFieldsFragment } from './api';
import { ErrorLine } from './ErrorLine';
import { percent } from './format';
import { isEnded, type TaskEvents, type TaskEvent } from './useTaskEvents';

function statsText(s: SyncStatsFieldsFragment): string {
  return `pools +${s.poolsAdded} ~${s.poolsUpdated} −${s.poolsDeleted} · volumes +${s.volumesAdded} ~${s.volumesUpdated} −${s.volumesDeleted}`;
}

function ProgressBar({ value, status }: { value: number; status: string }) {
  return (
    <div className={`progress progress-${status.toLowerCase()}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}

function TaskRow({ event, storageName }: { event: TaskEvent; storageName: string | undefined }) {
  const t = event.task;
  const value = percent(t.progress);
  const done = t.status === 'SUCCEEDED';
  return (
    <li className="task" data-task-id={t.id} data-storage-id={t.storageId} data-status={t.status}>
      <div className="task-head">
        <strong>{t.kind === 'SYNC_RESOURCES' ? 'sync' : t.kind.toLowerCase().replace(/_/g, ' ')}</strong> of {storageName ?? t.storageId}
        <span className={`badge badge-${t.status.toLowerCase()}`}>{done ? 'done' : t.status}</span>
      </div>
      <div className="task-progress">
        <ProgressBar value={value} status={t.status} />
        <span className="task-percent">{value} %</span>
      </div>
      <div className="task-detail">
        {isEnded(t) ? (t.error ?? (t.stats ? <span className="task-stats">{statsText(t.stats)}</span> : t.message)) : `${t.phase ?? 'queued'}${t.message ? `: ${t.message}` : ''}`}
      </div>
    </li>
  );
}

export function TaskList({ live, names }: { live: TaskEvents; names: ReadonlyMap<string, string> }) {
  return (
    <section className="panel">
      <h2>Tasks</h2>
      <ErrorLine error={live.error} />
      {live.events.length === 0 ? (
        <p className="muted">No task has run since this page opened. Register an array or press Sync.</p>
      ) : (
        <ul className="tasks">
          {live.events.slice(0, 20).map((e) => (
            <TaskRow key={e.task.id} event={e} storageName={names.get(e.task.storageId)} />
          ))}
        </ul>
      )}
    </section>
  );
}
