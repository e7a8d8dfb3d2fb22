// One lock query per job name at a time in a scheduler. Agenda looks for due jobs every
// processEvery by locking them one query after another until none is due, and starts that
// again at the next processEvery even when the previous round is still going (it sets its
// "queue filling" flag but never reads it). When jobs come due faster than a round catches up
// (10 000 schedules: 167 a second), rounds pile up, each with a lock query waiting for the
// store's few connections, and the saves of the jobs being run wait behind them
// (docs/performance.md, "10 000 schedules"). Here a round that finds another one's query in
// flight ends at once; the one in flight goes on until no job is due.
import type { JobRepository } from 'agenda';

export function oneLockQueryPerName(repository: JobRepository): JobRepository {
  const inFlight = new Set<string>();
  const getNextJobToRun: JobRepository['getNextJobToRun'] = async (jobName, ...rest) => {
    if (inFlight.has(jobName)) return undefined;
    inFlight.add(jobName);
    try {
      return await repository.getNextJobToRun(jobName, ...rest);
    } finally {
      inFlight.delete(jobName);
    }
  };
  return new Proxy(repository, {
    get(target, prop) {
      if (prop === 'getNextJobToRun') return getNextJobToRun;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
