// Defining a job on Agenda, keeping Agenda's maxConcurrency the sum of its definitions'
// concurrency. Agenda's local queue picks the next job by its definition's concurrency only;
// when maxConcurrency (default 20) is reached first, runOrRetry puts the job back and the queue
// walk goes on to the next one, and the next, every time a job ends: with a few hundred jobs
// locked that walk (quadratic in the queue) took the whole core and the scheduler ran a fraction
// of its due ticks (docs/performance.md, "10 000 schedules"). With the sum, a definition's own
// limit is always the one reached first, and the walk stops there.
import type { Agenda, Job, JobDefinition } from 'agenda';

type DefineOptions = Partial<Pick<JobDefinition, 'lockLimit' | 'concurrency' | 'backoff' | 'removeOnComplete'>>;

/** How many jobs of one kind a scheduler runs at once (each only queues a task). */
export const JOB_CONCURRENCY = 50;

export function defineJob<T>(
  agenda: Agenda,
  name: string,
  handler: (job: Job<T>) => Promise<void>,
  options: DefineOptions = {},
): void {
  agenda.define(name, handler, { concurrency: JOB_CONCURRENCY, ...options });
  const total = Object.values(agenda.definitions).reduce((sum, d) => sum + (d.concurrency ?? 0), 0);
  agenda.maxConcurrency(total);
}
