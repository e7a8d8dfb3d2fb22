// A JetStream that does not answer at start-up (a cluster electing its meta leader, a node
// catching up after its disk filled) is waited for: the role becomes ready once it answers
// instead of exiting and leaving the restart to a supervisor. A server without JetStream turned
// on says so at once (no responder on its API); that is a misconfiguration, so it is refused after
// a few seconds (a node still starting up answers the same way for a moment), not waited out.

const NOT_ENABLED_GRACE_MS = 10_000;
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 5_000;

export interface JetStreamWait {
  /** How long to wait for an answer before giving up with the last error. */
  waitSeconds: number;
  /** Told of each failed try (to log it); `waitedMs` since the first. */
  onRetry(err: unknown, waitedMs: number): void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Runs `open` (the stream and consumers set up) again until JetStream answers it, within the wait. */
export async function whenJetStreamAnswers<T>(open: () => Promise<T>, wait: JetStreamWait): Promise<T> {
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = now();
  let notEnabledSince: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      const t = now();
      notEnabledSince = isNotEnabled(err) ? (notEnabledSince ?? t) : undefined;
      const left = wait.waitSeconds * 1000 - (t - start);
      const notEnabledLeft = notEnabledSince === undefined ? Infinity : NOT_ENABLED_GRACE_MS - (t - notEnabledSince);
      if (left <= 0 || notEnabledLeft <= 0) throw err;
      wait.onRetry(err, t - start);
      await sleep(Math.min(FIRST_PAUSE_MS * 2 ** attempt, LONGEST_PAUSE_MS, left, notEnabledLeft));
    }
  }
}

/** The JetStream API has no responder: JetStream is off on the server (or not started on it yet). */
function isNotEnabled(err: unknown): boolean {
  return err instanceof Error && err.name === 'JetStreamNotEnabled';
}
