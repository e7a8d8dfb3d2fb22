// Keeps a GraphQL subscription open for as long as a panel shows: every event to `onEvent`;
// after a failure the error is shown and the subscription opened again 3 s later, calling
// `onStart` each time it (re)opens so the panel can read again what it may have missed.
import { describeError, type ShownError } from './api';

const RETRY_MS = 3000;

export interface Follow<T> {
  open(): AsyncIterableIterator<T>;
  onEvent(event: T): void;
  onStart?(): void;
  onError(error: ShownError | undefined): void;
}

/** Starts following; the returned function stops it. */
export function followSubscription<T>({ open, onEvent, onStart, onError }: Follow<T>): () => void {
  let iterator: AsyncIterableIterator<T> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const start = () => {
    iterator = open();
    onStart?.();
    void (async () => {
      try {
        for await (const event of iterator) {
          onError(undefined);
          onEvent(event);
        }
      } catch (err) {
        if (stopped) return;
        onError(describeError(err));
        timer = setTimeout(start, RETRY_MS);
      }
    })();
  };
  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    void iterator?.return?.();
  };
}
