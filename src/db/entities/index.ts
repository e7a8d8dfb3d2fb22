export { AccessInfo, type StoredEndpoint } from './AccessInfo.js';
export { Controller } from './Controller.js';
export { Disk } from './Disk.js';
export { Port } from './Port.js';
export { Storage } from './Storage.js';
export { StoragePool } from './StoragePool.js';
export { Task, type CollectionRecord, type CounterResetRecord, type LostWindow, type RecoveredWindow, type RetriedWindow, type SyncStats } from './Task.js';
export { Volume } from './Volume.js';
export * from './enums.js';

import { AccessInfo } from './AccessInfo.js';
import { Controller } from './Controller.js';
import { Disk } from './Disk.js';
import { Port } from './Port.js';
import { Storage } from './Storage.js';
import { StoragePool } from './StoragePool.js';
import { Task } from './Task.js';
import { Volume } from './Volume.js';

export const ENTITIES = [Storage, AccessInfo, StoragePool, Volume, Disk, Controller, Port, Task];
