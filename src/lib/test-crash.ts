// Test-only crash points. DELFIN_TEST_CRASH_AT names one; a process that reaches it exits at
// once, as a SIGKILL would stop it there, so a fault test can show what a crash at that exact
// point leaves behind (test/faults/crash-after-task-end.test.ts). Never set in production.
export type CrashPoint =
  /** A worker, right after a task's end committed, before its ack. */
  | 'after-task-end'
  /** Whoever queues tasks (api, scheduler), right after they committed, before they are published. */
  | 'before-task-publish';

export function crashPoint(point: CrashPoint): void {
  const wanted = process.env.DELFIN_TEST_CRASH_AT;
  if (wanted === undefined || wanted !== point) return;
  process.stderr.write(`DELFIN_TEST_CRASH_AT=${point}: exiting here (test only)\n`);
  process.exit(86);
}
