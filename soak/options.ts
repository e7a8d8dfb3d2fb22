// The soak's settings: `npm run soak -- --minutes N --seed S` and the sizes a short CI form lowers.
export interface SoakOptions {
  minutes: number;
  seed: number;
  /** Simulated arrays registered at the start. */
  storages: number;
  /** Mean seconds between two SIGKILLs (over every role). */
  killEverySeconds: number;
  /** Mean seconds between two of each rarer fault (pause, NATS, MongoDB stand-in, driver). */
  rareFaultEverySeconds: number;
  /** An accepted task must end within this. */
  taskBoundSeconds: number;
  /** Concurrent per-task graphql-ws subscribers. */
  subscribers: number;
  /** Operations of the GraphQL fuzz after the soak (0: none). */
  fuzzOperations: number;
  /** Where process logs go (kept on a violation). */
  logDir?: string;
}

export const DEFAULTS: SoakOptions = {
  minutes: 60,
  seed: 20261201,
  storages: 200,
  killEverySeconds: 25,
  rareFaultEverySeconds: 150,
  taskBoundSeconds: 300,
  subscribers: 200,
  fuzzOperations: 10_000,
};

const FLAGS: Record<string, keyof SoakOptions> = {
  '--minutes': 'minutes',
  '--seed': 'seed',
  '--storages': 'storages',
  '--kill-every': 'killEverySeconds',
  '--rare-fault-every': 'rareFaultEverySeconds',
  '--task-bound': 'taskBoundSeconds',
  '--subscribers': 'subscribers',
  '--fuzz': 'fuzzOperations',
};

export class UsageError extends Error {}

/** `--flag value` pairs over the defaults; an unknown flag or a bad number is a UsageError. */
export function parseOptions(argv: string[]): SoakOptions {
  const out: SoakOptions = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const key = FLAGS[flag];
    if (!key) throw new UsageError(`unknown option ${flag}; the options are ${Object.keys(FLAGS).join(', ')}`);
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} needs a number, 0 or more; got ${argv[i + 1] ?? 'nothing'}`);
    (out as unknown as Record<string, number>)[key] = value;
  }
  if (out.minutes <= 0) throw new UsageError('--minutes must be more than 0');
  return out;
}
