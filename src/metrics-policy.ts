// The policy file's `metrics` section: how performance is collected (defaults of a new storage's
// metrics-config, interval bounds, windows, retries) and which exporters receive it.
import { z } from 'zod';

/**
 * A whole number from min to max, given as a number or as decimal digits (the environment's
 * text): never a boolean, a list, null, "0x10" or "1e3", which Number() would quietly turn into one.
 */
const intFrom = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(min).max(max));

/** Delfin's design: an interval of 5 minutes to a day (DELFIN_MIN_INTERVAL_SECONDS lowers the minimum). */
export const METRICS_MIN_INTERVAL_SECONDS = 300;
export const METRICS_MAX_INTERVAL_SECONDS = 86_400;

const polling = (perfCollection: boolean) =>
  z
    .object({
      perfCollection: z.boolean().default(perfCollection),
      interval: intFrom(1, METRICS_MAX_INTERVAL_SECONDS).default(900),
      isHistoric: z.boolean().default(false),
    })
    .strict()
    .default({ perfCollection, interval: 900, isHistoric: false });

const exporter = z.object({ enabled: z.boolean().default(true) }).strict().default({ enabled: true });

export const metricsPolicySchema = z
  .object({
    /** The metrics-config a newly registered storage gets: the array on at 900 s, the rest off. */
    defaults: z
      .object({
        arrayPolling: polling(true),
        poolPolling: polling(false),
        volumePolling: polling(false),
        diskPolling: polling(false),
        controllerPolling: polling(false),
        portPolling: polling(false),
      })
      .strict()
      .default({
        arrayPolling: { perfCollection: true, interval: 900, isHistoric: false },
        poolPolling: { perfCollection: false, interval: 900, isHistoric: false },
        volumePolling: { perfCollection: false, interval: 900, isHistoric: false },
        diskPolling: { perfCollection: false, interval: 900, isHistoric: false },
        controllerPolling: { perfCollection: false, interval: 900, isHistoric: false },
        portPolling: { perfCollection: false, interval: 900, isHistoric: false },
      }),
    /** Shortest polling interval accepted; DELFIN_MIN_INTERVAL_SECONDS overrides it. */
    minIntervalSeconds: intFrom(1, METRICS_MAX_INTERVAL_SECONDS).default(METRICS_MIN_INTERVAL_SECONDS),
    maxIntervalSeconds: intFrom(1, METRICS_MAX_INTERVAL_SECONDS).default(METRICS_MAX_INTERVAL_SECONDS),
    /** Each window starts this long before the end of the last one, for samples the device reports late. */
    overlapSeconds: intFrom(0, 3600).default(60),
    /** How far back a historic poll back-fills after downtime. */
    historyHorizonSeconds: intFrom(60, 30 * 86_400).default(86_400),
    /** A back-fill is asked of the driver in windows of at most this length. */
    chunkSeconds: intFrom(1, 86_400).default(3600),
    /** Quick tries of one window within a poll, with an exponential back-off from backoffMs. */
    windowAttempts: intFrom(1, 20).default(3),
    backoffMs: intFrom(0, 600_000).default(2000),
    /**
     * Capacities on /metrics: storages and pools always; volumes and disks only when turned on
     * (a million volumes must not become three million series unasked).
     */
    inventory: z
      .object({ volumes: z.boolean().default(false), disks: z.boolean().default(false) })
      .strict()
      .default({ volumes: false, disks: false }),
    /**
     * A window still failing after those tries goes to a durable retry list, tried again by later
     * polls with a doubling back-off so that `tries` polls (the first included) span
     * `horizonSeconds`; only then is it recorded as lost. tries 1: lost at once.
     * DELFIN_WINDOW_RETRY_TRIES and DELFIN_WINDOW_RETRY_HORIZON_SECONDS override them.
     */
    windowRetry: z
      .object({ tries: intFrom(1, 20).default(5), horizonSeconds: intFrom(1, 7 * 86_400).default(4500) })
      .strict()
      .default({ tries: 5, horizonSeconds: 4500 }),
    exporters: z
      .object({ prometheus: exporter, nats: exporter, graphql: exporter })
      .strict()
      .default({ prometheus: { enabled: true }, nats: { enabled: true }, graphql: { enabled: true } }),
  })
  .strict();

export type MetricsPolicy = z.infer<typeof metricsPolicySchema>;
export type WindowRetryPolicy = MetricsPolicy['windowRetry'];
export type PollingPolicy = MetricsPolicy['defaults']['arrayPolling'];

export const DEFAULT_METRICS_POLICY: MetricsPolicy = metricsPolicySchema.parse({});
