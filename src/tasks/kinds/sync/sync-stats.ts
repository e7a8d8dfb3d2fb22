import type { SyncStats } from '../../../db/entities/index.js';

export const emptyStats = (): SyncStats => ({
  poolsAdded: 0,
  poolsUpdated: 0,
  poolsDeleted: 0,
  volumesAdded: 0,
  volumesUpdated: 0,
  volumesDeleted: 0,
  disksAdded: 0,
  disksUpdated: 0,
  disksDeleted: 0,
  controllersAdded: 0,
  controllersUpdated: 0,
  controllersDeleted: 0,
  portsAdded: 0,
  portsUpdated: 0,
  portsDeleted: 0,
});
