// "These storages' schedules changed": what the api tells the scheduler after it committed a
// change to sync_schedule, metrics_config or a SCHEDULED task. PostgreSQL holds what is wanted;
// the message only says where to look now. A scheduler that misses it (none running, NATS
// down, the job store away) finds the change at its next reconcile (at its start, every minute,
// and again soon after a failed one). No Agenda and no MongoDB here: the api loads this file.
import type { NatsConnection } from '@nats-io/transport-node';
import type { BusNames } from './subjects.js';
import type { Logger } from '../logger.js';

export interface SchedulesChanged {
  storageIds: string[];
}

/**
 * How long the api waits for a scheduler to say the job store is in line, so a client that
 * reads the jobs right after its change sees it. A scheduler that does not answer in time (its
 * job store away) does not fail the change: it is in PostgreSQL and will be applied.
 */
const APPLIED_WAIT_MS = 2000;

/**
 * After a scheduler did not answer in time, changes do not wait for one again until one
 * answers (or this long has passed): with the job store away every change would otherwise
 * take the whole wait.
 */
const BEHIND_MS = 30_000;

export class ScheduleNotice {
  constructor(
    private readonly nc: NatsConnection,
    private readonly names: BusNames,
    private readonly logger: Logger,
  ) {}

  /** When a scheduler last failed to answer in time; 0: it answered (or was never asked). */
  private behindSince = 0;

  /**
   * Tells the scheduler; unless `wait` is false, waits (briefly) until one applied it, so a
   * user's schedule change is in the job store when its answer arrives. Never throws.
   */
  async changed(storageIds: readonly string[], opts: { wait?: boolean } = {}): Promise<void> {
    if (storageIds.length === 0) return;
    const body: SchedulesChanged = { storageIds: [...storageIds] };
    try {
      const behind = Date.now() - this.behindSince < BEHIND_MS;
      if (opts.wait === false || behind) this.nc.publish(this.names.schedulesChanged, JSON.stringify(body));
      // A request: with no scheduler running NATS answers "no responders" at once.
      else {
        await this.nc.request(this.names.schedulesChanged, JSON.stringify(body), { timeout: APPLIED_WAIT_MS });
        this.behindSince = 0;
      }
    } catch (err) {
      if ((err as Error).name === 'TimeoutError' || /timeout/i.test((err as Error).message ?? '')) this.behindSince = Date.now();
      this.logger.debug({ storageIds, err: (err as Error).message }, 'no scheduler applied the schedule change yet; it will at its next reconcile');
    }
  }
}

/** The storage ids of a message, or [] when it is not one of ours. */
export function parseSchedulesChanged(data: Uint8Array): string[] {
  try {
    const body = JSON.parse(new TextDecoder().decode(data)) as Partial<SchedulesChanged>;
    return Array.isArray(body.storageIds) ? body.storageIds.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
