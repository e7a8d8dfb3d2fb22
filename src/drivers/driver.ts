// The contract between the task manager and a storage array. One instance talks to one array;
// the worker opens it for a task and closes it after. Every call may be slow or hang: callers
// wrap instances with `withTimeouts` (./timeouts.ts), never trust a driver to time itself out.

export type StorageStatus = 'NORMAL' | 'OFFLINE' | 'ABNORMAL' | 'DEGRADED' | 'UNKNOWN';
export type StorageType = 'BLOCK' | 'FILE' | 'UNIFIED';
export type VolumeStatus = 'AVAILABLE' | 'ERROR';
export type ProvisioningType = 'THICK' | 'THIN';
export type ResourceType = 'STORAGE' | 'STORAGE_POOL' | 'VOLUME';

/** Capacities are bytes as bigint: arrays exceed 2^53 bytes in aggregate and 2^31 everywhere. */
export interface DeviceStorage {
  name: string;
  description?: string | null;
  vendor: string;
  model: string;
  serialNumber: string;
  firmwareVersion?: string | null;
  location?: string | null;
  status: StorageStatus;
  totalCapacity: bigint;
  usedCapacity: bigint;
  freeCapacity: bigint;
  rawCapacity?: bigint | null;
  subscribedCapacity?: bigint | null;
}

export interface DevicePool {
  nativeStoragePoolId: string;
  name: string;
  description?: string | null;
  storageType?: StorageType | null;
  status: StorageStatus;
  totalCapacity: bigint;
  usedCapacity: bigint;
  freeCapacity: bigint;
  subscribedCapacity?: bigint | null;
}

export interface DeviceVolume {
  nativeVolumeId: string;
  name: string;
  description?: string | null;
  type?: ProvisioningType | null;
  status: VolumeStatus;
  nativeStoragePoolId?: string | null;
  wwn?: string | null;
  totalCapacity: bigint;
  usedCapacity: bigint;
  freeCapacity: bigint;
  compressed?: boolean | null;
  deduplicated?: boolean | null;
}

/** One page of a paged listing; `total` (when the device knows it) drives progress. */
export interface Page<T> {
  items: T[];
  total?: number;
}

export interface MetricSpec {
  name: string;
  unit: string;
}

export interface DriverCapabilities {
  /** Performance metrics the driver can collect, per resource type. */
  metrics: Partial<Record<ResourceType, MetricSpec[]>>;
}

export interface RestAccess {
  host: string;
  port: number;
  username: string;
  password: string;
}

export interface SshAccess {
  host: string;
  port: number;
  username: string;
  password?: string | null;
  pubKey?: string | null;
}

/** Decrypted access info, as a driver receives it. Never logged, never returned by the API. */
export interface AccessInfo {
  rest?: RestAccess | null;
  ssh?: SshAccess | null;
  extraAttributes?: Record<string, unknown> | null;
}

export interface MetricWindow {
  start: Date;
  end: Date;
}

export interface MetricSeries {
  resourceType: ResourceType;
  resourceId: string;
  metric: string;
  unit: string;
  /** Sample times (ms) in order; series of one call may share this array. */
  timestamps: number[];
  /** values[i] was measured at timestamps[i]. */
  values: number[];
}

export interface StorageDriver {
  getStorage(): Promise<DeviceStorage>;
  listPools(): Promise<DevicePool[]>;
  /** Pages of volumes; a large array yields many pages, so memory stays bounded. */
  listVolumes(): AsyncIterable<Page<DeviceVolume>>;
  collectPerfMetrics(resourceType: ResourceType, metrics: string[], window: MetricWindow): Promise<MetricSeries[]>;
  capabilities(): Promise<DriverCapabilities>;
  close(): Promise<void>;
}

/** One variable binding of an SNMP trap: its OID, its ASN.1 type name and its value as text. */
export interface TrapVarbind {
  oid: string;
  type: string;
  value: string;
}

/** An authenticated SNMP trap or inform, as the alerts role hands it to a driver. */
export interface SnmpTrap {
  version: 'V1' | 'V2C' | 'V3';
  /** snmpTrapOID.0 (v1 traps converted as RFC 3584 says). */
  trapOid: string;
  /** The varbinds after sysUpTime.0 and snmpTrapOID.0. */
  varbinds: TrapVarbind[];
  senderAddress: string;
  receivedAt: Date;
}

export type AlertSeverity = 'FATAL' | 'CRITICAL' | 'MAJOR' | 'MINOR' | 'WARNING' | 'INFORMATIONAL' | 'NOT_SPECIFIED';
export type AlertCategory = 'FAULT' | 'EVENT' | 'RECOVERY' | 'NOT_SPECIFIED';

/** An alert as a driver reads it from a trap (Delfin's parse_alert result). */
export interface ParsedAlert {
  /** `raised` a new alert; `cleared` the one named by sequenceNumber. */
  kind: 'raised' | 'cleared';
  alertId: string;
  alertName: string;
  severity: AlertSeverity;
  category: AlertCategory;
  type?: string | null;
  description: string;
  location?: string | null;
  resourceType?: string | null;
  sequenceNumber: string;
  recoveryAdvice?: string | null;
  occurredAt?: Date | null;
}

/** What a driver module registers: its vendor/model and a factory. */
export interface DriverDescriptor {
  vendor: string;
  model: string;
  /** Validates the access info's shape before any connection; throws DriverError with a reason. */
  create(access: AccessInfo): StorageDriver;
  /**
   * Reads one of the array's SNMP traps (Delfin's parse_alert). On the descriptor, not the
   * instance: parsing needs no connection to the array. Undefined: not a trap this driver knows.
   */
  parseAlert?(trap: SnmpTrap): ParsedAlert | undefined;
}
