// Recent tasks of every kind as a table: kind, storage, status, when, how long, how far. Read
// from `tasks` (newest first) when the page opens and when a task ends, and kept current
// between reads by the live task events the page already follows (the newest version wins).
import { useEffect, useState } from 'react';
import { describeError, TasksDocument, type DelfinClient, type ShownError, type TaskFieldsFragment } from './api';
import { ErrorLine } from './ErrorLine';
import { formatDuration, formatTime, percent } from './format';
import type { TaskEvent } from './useTaskEvents';

const SHOWN = 20;

interface Props {
  client: DelfinClient;
  /** Changes when a task ends: the history is read again. */
  version: number;
  live: readonly TaskEvent[];
  names: ReadonlyMap<string, string>;
}

/** The read tasks with the live ones merged in, newest first. */
function merged(read: readonly TaskFieldsFragment[], live: readonly TaskEvent[]): TaskFieldsFragment[] {
  const byId = new Map(read.map((t) => [t.id, t]));
  for (const { task } of live) {
    const known = byId.get(task.id);
    if (!known || known.version < task.version) byId.set(task.id, task);
  }
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, SHOWN);
}

function kindName(kind: string): string {
  return kind.toLowerCase().replace(/_/g, ' ');
}

export function TaskHistory({ client, version, live, names }: Props) {
  const [read, setRead] = useState<TaskFieldsFragment[]>([]);
  const [error, setError] = useState<ShownError>();

  useEffect(() => {
    let current = true;
    client.request(TasksDocument, { first: SHOWN }).then(
      (d) => current && (setRead(d.tasks.edges.map((e) => e.node)), setError(undefined)),
      (err: unknown) => current && setError(describeError(err)),
    );
    return () => {
      current = false;
    };
  }, [client, version]);

  const tasks = merged(read, live);
  return (
    <section className="panel history" aria-label="Task history">
      <h2>Task history</h2>
      <ErrorLine error={error} />
      {tasks.length === 0 ? (
        <p className="muted">No task has run yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Kind</th>
              <th>Storage</th>
              <th>Status</th>
              <th>Created</th>
              <th>Duration</th>
              <th>Progress</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <tr key={t.id} data-task-id={t.id} data-status={t.status}>
                <td>{kindName(t.kind)}</td>
                <td>{names.get(t.storageId) ?? t.storageId}</td>
                <td>
                  <span className={`badge badge-${t.status.toLowerCase()}`}>{t.status}</span>
                </td>
                <td>{formatTime(t.createdAt)}</td>
                <td className="duration">{formatDuration(t.startedAt, t.finishedAt)}</td>
                <td className="history-progress">{percent(t.progress)} %</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
