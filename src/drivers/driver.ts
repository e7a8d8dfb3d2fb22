// The contract between the task manager and a storage array. One instance talks to one array;
// the worker opens it for a task and closes it after. Every call may be slow or hang: callers
// wrap instances with `withTimeouts` (./timeouts.ts), never trust a driver to time itself out.

export type StorageStatus = 'NORMAL' | 'OFFLINE' | 'ABNORMAL' | 'DEGRADED' | 'UNKNOWN';
export type StorageType = 'BLOCK' | 'FILE' | 'UNIFIED';
export type VolumeStatus = 'AVAILABLE' | 'ERROR';
export type ProvisioningType = 'THICK' | 'THIN';
/** What a sync lists and a performance poll collects (disks, controllers and ports are optional for a driver). */
export type ResourceType = 'STORAGE' | 'STORAGE_POOL' | 'VOLUME' | 'DISK' | 'CONTROLLER' | 'PORT';
/** Health of a disk, controller or port (the contract's HealthStatus). */
export type HealthStatus = 'NORMAL' | 'ABNORMAL' | 'OFFLINE' | 'UNKNOWN';
export type DiskMediaType = 'HDD' | 'SSD' | 'SCM' | 'UNKNOWN';
export type PortType = 'FC' | 'ISCSI' | 'ETHERNET' | 'SAS' | 'NVME_OVER_FABRICS' | 'INFINIBAND' | 'OTHER';
export type ConnectionStatus = 'CONNECTED' | 'DISCONNECTED' | 'UNKNOWN';

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

/** A physical disk (Delfin's disk model). */
export interface DeviceDisk {
  nativeDiskId: string;
  name: string;
  status: HealthStatus;
  mediaType: DiskMediaType;
  /** Bytes. */
  capacity: bigint;
  manufacturer?: string | null;
  model?: string | null;
  serialNumber?: string | null;
  firmware?: string | null;
  speedGbps?: number | null;
  location?: string | null;
}

/** A storage controller (Delfin's controller model). */
export interface DeviceController {
  nativeControllerId: string;
  name: string;
  status: HealthStatus;
  firmware?: string | null;
  location?: string | null;
  /** Cache or memory of the controller, bytes. */
  memoryBytes?: bigint | null;
}

/** A front-end or back-end port (Delfin's port model). */
export interface DevicePort {
  nativePortId: string;
  name: string;
  type: PortType;
  connectionStatus: ConnectionStatus;
  healthStatus: HealthStatus;
  speedGbps?: number | null;
  wwn?: string | null;
  macAddress?: string | null;
  ipAddress?: string | null;
  location?: string | null;
  /** The controller the port belongs to, when the device says. */
  nativeControllerId?: string | null;
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
  /**
   * The device reports cumulative counters, not samples: collectPerfMetrics needs its
   * `counters` argument (the previous reading, kept by the caller) to turn them into rates.
   */
  cumulativeCounters?: boolean;
  /**
   * This array lets the driver clear an alert (`clearAlert`). Default: true when the driver has
   * `clearAlert`; false says that this array (model, firmware, service) cannot, though the driver could.
   */
  clearAlert?: boolean;
}

/**
 * How a REST driver trusts the array's TLS certificate. By default the certificate must chain
 * to the system's CAs (or to `caCertificate`) and name the host; `certificateFingerprint` pins
 * the array's own certificate instead; `verifyTls: false` accepts any (labs only).
 */
export interface TlsTrust {
  /** PEM: a private CA, or the array's own self-signed certificate. */
  caCertificate?: string | null;
  /** SHA-256 of the array's certificate (DER), as 64 hex digits, with or without colons. */
  certificateFingerprint?: string | null;
  /** Default true. */
  verifyTls?: boolean | null;
}

export interface RestAccess extends TlsTrust {
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

/** Cumulative counters of one resource at one instant, as a counter-based driver read them. */
export interface CounterReading {
  resourceType: ResourceType;
  resourceId: string;
  /** When the device was read (ms since the epoch). */
  at: number;
  /** Counter name to value (driver-defined names, e.g. readIORequests). */
  values: Record<string, number>;
}

/** A resource whose counters went down between two readings: that window has no sample. */
export interface CounterReset {
  resourceType: ResourceType;
  resourceId: string;
  /** The window skipped (ms). */
  from: number;
  to: number;
  /** The counters that went down. */
  counters: string[];
}

/**
 * In/out argument of collectPerfMetrics for drivers with `cumulativeCounters`. The caller
 * passes the readings the previous call left (kept in its store, empty the first time); the
 * driver fills `current` (to keep, replacing `previous`) and `resets`. A resource without a
 * previous reading (new, or the first call) yields no sample this time, only a reading.
 */
export interface CounterState {
  previous: CounterReading[];
  current?: CounterReading[];
  resets?: CounterReset[];
}

export interface StorageDriver {
  getStorage(): Promise<DeviceStorage>;
  listPools(): Promise<DevicePool[]>;
  /** Pages of volumes; a large array yields many pages, so memory stays bounded. */
  listVolumes(): AsyncIterable<Page<DeviceVolume>>;
  /**
   * Disks, controllers and ports, paged like volumes (an array can have thousands of disks
   * and ports, each often one request): optional, a driver without them lists none.
   */
  listDisks?(): AsyncIterable<Page<DeviceDisk>>;
  listControllers?(): AsyncIterable<Page<DeviceController>>;
  listPorts?(): AsyncIterable<Page<DevicePort>>;
  /**
   * Samples within `window`. A driver with `capabilities().cumulativeCounters` reads its
   * counters now instead and reports, per resource, one sample stamped at the reading for the
   * interval since the previous reading in `counters` (see CounterState).
   */
  collectPerfMetrics(resourceType: ResourceType, metrics: string[], window: MetricWindow, counters?: CounterState): Promise<MetricSeries[]>;
  capabilities(): Promise<DriverCapabilities>;
  /**
   * The alerts the device holds as current (its alarm table or event log): optional. Read at
   * registration and on each sync, so alerts raised while no trap receiver listened are not
   * missed. Each is stored once per sequence number, whether it came listed or as a trap; an
   * open alert a listing had and a later listing no longer has is cleared (the device cleared it).
   */
  listAlerts?(): Promise<DeviceAlert[]>;
  /**
   * Clears the alert of that sequence number on the device: optional (see
   * DriverCapabilities.clearAlert). Idempotent: one the device no longer holds is not an error.
   */
  clearAlert?(sequenceNumber: string): Promise<void>;
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

/** An alert as a driver lists it from the device (`listAlerts`): current, so always raised. */
export type DeviceAlert = Omit<ParsedAlert, 'kind'>;

/** What a driver module registers: its vendor/model and a factory. */
export interface DriverDescriptor {
  vendor: string;
  model: string;
  /** Validates the access info's shape before any connection; throws DriverError with a reason. */
  create(access: AccessInfo): StorageDriver;
  /** One sentence for the `drivers` query; default none. */
  description?: string;
  /** The access info parts the driver uses; default ['REST']. */
  accessTypes?: AccessType[];
  /** The resources a sync reads through it; default STORAGE, STORAGE_POOL and VOLUME. */
  resources?: DriverResource[];
  /**
   * Reads one of the array's SNMP traps (Delfin's parse_alert). On the descriptor, not the
   * instance: parsing needs no connection to the array. Undefined: not a trap this driver knows.
   */
  parseAlert?(trap: SnmpTrap): ParsedAlert | undefined;
}

export type AccessType = 'REST' | 'SSH';
/** What a driver can list: the base three, and the optional disks, controllers and ports. */
export type DriverResource = ResourceType;
