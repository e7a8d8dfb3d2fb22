// SyncStats of tasks that ended before disks, controllers and ports were synced have no counts
// for them: those read as 0 (nothing of the kind was added, updated or deleted).
import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { SyncStats } from '../types/task.js';

const zeroIfAbsent = (n: number | undefined) => n ?? 0;

@Resolver(() => SyncStats)
export class SyncStatsResolver {
  @FieldResolver(() => Int) disksAdded(@Root() s: SyncStats) { return zeroIfAbsent(s.disksAdded); }
  @FieldResolver(() => Int) disksUpdated(@Root() s: SyncStats) { return zeroIfAbsent(s.disksUpdated); }
  @FieldResolver(() => Int) disksDeleted(@Root() s: SyncStats) { return zeroIfAbsent(s.disksDeleted); }
  @FieldResolver(() => Int) controllersAdded(@Root() s: SyncStats) { return zeroIfAbsent(s.controllersAdded); }
  @FieldResolver(() => Int) controllersUpdated(@Root() s: SyncStats) { return zeroIfAbsent(s.controllersUpdated); }
  @FieldResolver(() => Int) controllersDeleted(@Root() s: SyncStats) { return zeroIfAbsent(s.controllersDeleted); }
  @FieldResolver(() => Int) portsAdded(@Root() s: SyncStats) { return zeroIfAbsent(s.portsAdded); }
  @FieldResolver(() => Int) portsUpdated(@Root() s: SyncStats) { return zeroIfAbsent(s.portsUpdated); }
  @FieldResolver(() => Int) portsDeleted(@Root() s: SyncStats) { return zeroIfAbsent(s.portsDeleted); }
}
