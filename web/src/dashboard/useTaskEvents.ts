// Live tasks from the `taskEvents` subscription: one subscription to every task (it starts with
// the tasks still open, then every event), plus one per task this page started (a `taskId`
// subscription starts with the task's current state, so an event sent before the first
// subscription was live is not missed). Events are merged by task version: the newest wins.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, TaskEventsDocument, type DelfinClient, type ShownError, type TaskEventsSubscription } from './api';

export type TaskEvent = TaskEventsSubscription['taskEvents'];
export type LiveTask = TaskEvent['task'];

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function isEnded(task: LiveTask): boolean {
  return ENDED.has(task.status);
}

export interface TaskEvents {
  /** The latest event of each task seen, newest task first. */
  events: TaskEvent[];
  /** Follows one task to its end (the page started it). */
  watch(taskId: string): void;
  /** The subscription to every task failed (it is retried). */
  error: ShownError | undefined;
}

/** Reads the subscription until it ends; `stop()` ends it early. */
function consume(iterator: AsyncIterableIterator<TaskEventsSubscription>, onEvent: (e: TaskEvent) => void): Promise<void> {
  return (async () => {
    for await (const { taskEvents } of iterator) onEvent(taskEvents);
  })();
}

export function useTaskEvents(client: DelfinClient, onEnd: (task: LiveTask) => void): TaskEvents {
  const [byId, setById] = useState<ReadonlyMap<string, TaskEvent>>(new Map());
  const [error, setError] = useState<ShownError>();
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  const watched = useRef(new Map<string, AsyncIterableIterator<TaskEventsSubscription>>());

  const merge = useCallback((event: TaskEvent) => {
    setById((prev) => {
      const known = prev.get(event.task.id);
      if (known && known.task.version >= event.task.version) return prev;
      if (isEnded(event.task) && !(known && isEnded(known.task))) queueMicrotask(() => onEndRef.current(event.task));
      return new Map(prev).set(event.task.id, event);
    });
  }, []);

  // Every task, for as long as the page is open; after a failure, again 3 s later.
  useEffect(() => {
    let iterator: AsyncIterableIterator<TaskEventsSubscription> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const start = () => {
      iterator = client.subscribe(TaskEventsDocument, {});
      consume(iterator, (e) => {
        setError(undefined);
        merge(e);
      }).catch((err: unknown) => {
        if (stopped) return;
        setError(describeError(err));
        timer = setTimeout(start, 3000);
      });
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      void iterator?.return?.();
    };
  }, [client, merge]);

  // The per-task subscriptions end with the task, or when the client changes.
  useEffect(() => {
    const open = watched.current;
    return () => {
      for (const it of open.values()) void it.return?.();
      open.clear();
    };
  }, [client]);

  const watch = useCallback(
    (taskId: string) => {
      if (watched.current.has(taskId)) return;
      const iterator = client.subscribe(TaskEventsDocument, { taskId });
      watched.current.set(taskId, iterator);
      consume(iterator, merge)
        .catch((err: unknown) => setError(describeError(err)))
        .finally(() => watched.current.delete(taskId));
    },
    [client, merge],
  );

  const events = [...byId.values()].sort((a, b) => b.task.createdAt.localeCompare(a.task.createdAt));
  return { events, watch, error };
}
