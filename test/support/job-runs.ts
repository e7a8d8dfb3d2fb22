// The job runs of scheduler processes, read from their logs (a scheduler started by startDelfin
// logs each job it runs at debug level): how tests check that each due job ran once.
export interface JobRun {
  process: number;
  /** When it ran (pino's epoch milliseconds). */
  time: number;
  job: string;
  jobId: string;
  storageId: string;
  taskId?: string;
}

/** Every "scheduled job running" line of the schedulers' logs. */
export function jobRuns(outputs: string[]): JobRun[] {
  return outputs.flatMap((out, process) =>
    out
      .split('\n')
      .filter((l) => l.includes('"scheduled job running"'))
      .map((l) => ({ process, ...(JSON.parse(l) as Omit<JobRun, 'process'>) })),
  );
}
