import type { SyncStats } from '../../../db/entities/index.js';

export const emptyStats = (): SyncStats => ({
  poolsAdded: 0,
  poolsUpdated: 0,
  poolsDeleted: 0,
  volumesAdded: 0,
  volumesUpdated: 0,
  volumesDeleted: 0,
});
