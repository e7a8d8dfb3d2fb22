// The contract's enums, registered once for type-graphql from the shared value lists.
import { registerEnumType } from 'type-graphql';
import {
  STORAGE_STATUSES,
  SYNC_STATES,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from '../../db/entities/enums.js';
import { TASK_EVENT_TYPES } from '../../bus/task-events.js';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const StorageStatusEnum = asEnum(STORAGE_STATUSES);
export const SyncStateEnum = asEnum(SYNC_STATES);
export const StorageTypeEnum = asEnum(['BLOCK', 'FILE', 'UNIFIED'] as const);
export const VolumeStatusEnum = asEnum(['AVAILABLE', 'ERROR'] as const);
export const ProvisioningTypeEnum = asEnum(['THICK', 'THIN'] as const);
export const TaskKindEnum = asEnum(TASK_KINDS);
export const TaskStatusEnum = asEnum(TASK_STATUSES);
export const TaskPriorityEnum = asEnum(TASK_PRIORITIES);
export const TaskEventTypeEnum = asEnum(TASK_EVENT_TYPES);
export const ResourceTypeEnum = asEnum(['STORAGE', 'STORAGE_POOL', 'VOLUME', 'DISK', 'CONTROLLER', 'PORT'] as const);
export const HealthStatusEnum = asEnum(['NORMAL', 'ABNORMAL', 'OFFLINE', 'UNKNOWN'] as const);
export const DiskMediaTypeEnum = asEnum(['HDD', 'SSD', 'SCM', 'UNKNOWN'] as const);
export const PortTypeEnum = asEnum(['FC', 'ISCSI', 'ETHERNET', 'SAS', 'NVME_OVER_FABRICS', 'INFINIBAND', 'OTHER'] as const);
export const ConnectionStatusEnum = asEnum(['CONNECTED', 'DISCONNECTED', 'UNKNOWN'] as const);
/** A resource type this API can show: a driver (a plugin) may know more than this version does. */
export function isShownResourceType(type: string): type is keyof typeof ResourceTypeEnum {
  return Object.hasOwn(ResourceTypeEnum, type);
}
export const AccessTypeEnum = asEnum(['REST', 'SSH'] as const);
export const OrderDirectionEnum = asEnum(['ASC', 'DESC'] as const);
export const VolumeOrderFieldEnum = asEnum(['NAME', 'TOTAL_CAPACITY', 'USED_CAPACITY', 'CREATED_AT'] as const);

registerEnumType(StorageStatusEnum, { name: 'StorageStatus' });
registerEnumType(SyncStateEnum, { name: 'SyncState' });
registerEnumType(StorageTypeEnum, { name: 'StorageType' });
registerEnumType(VolumeStatusEnum, { name: 'VolumeStatus' });
registerEnumType(ProvisioningTypeEnum, { name: 'ProvisioningType' });
registerEnumType(TaskKindEnum, { name: 'TaskKind' });
registerEnumType(TaskStatusEnum, { name: 'TaskStatus' });
registerEnumType(TaskPriorityEnum, { name: 'TaskPriority' });
registerEnumType(TaskEventTypeEnum, { name: 'TaskEventType' });
registerEnumType(ResourceTypeEnum, { name: 'ResourceType' });
registerEnumType(HealthStatusEnum, { name: 'HealthStatus', description: 'Health of a disk, controller or port.' });
registerEnumType(DiskMediaTypeEnum, { name: 'DiskMediaType' });
registerEnumType(PortTypeEnum, { name: 'PortType' });
registerEnumType(ConnectionStatusEnum, { name: 'ConnectionStatus', description: 'Whether a port has a link.' });
registerEnumType(AccessTypeEnum, { name: 'AccessType', description: 'A part of the access info a driver uses.' });
registerEnumType(OrderDirectionEnum, { name: 'OrderDirection' });
registerEnumType(VolumeOrderFieldEnum, { name: 'VolumeOrderField', description: 'What a list of volumes is ordered by; the id breaks ties.' });
