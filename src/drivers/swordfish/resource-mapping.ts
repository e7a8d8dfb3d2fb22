// Swordfish / Redfish resources to the driver's types, field by field (docs/drivers.md). Every
// native id is the resource's @odata.id: unique within the service, stable, and what links
// between resources (a volume's pools, a port's controller) name.
import type {
  ConnectionStatus,
  DeviceController,
  DeviceDisk,
  DevicePool,
  DevicePort,
  DeviceVolume,
  DiskMediaType,
  PortType,
  ProvisioningType,
} from '../driver.js';
import { DriverError } from '../driver-error.js';
import type { Json } from './redfish-client.js';
import { healthStatus, storageStatus, volumeStatus } from './status-mapping.js';

export const odataId = (r: Json): string => {
  const id = r['@odata.id'];
  if (typeof id !== 'string' || id === '') throw new DriverError(`a resource without @odata.id: ${JSON.stringify(r).slice(0, 120)}`);
  return id;
};

export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Bytes as bigint, from a JSON number or a decimal string (large values overflow doubles in some services). */
export function bytes(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.round(v));
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return null;
}

const nameOf = (r: Json) => text(r.Name) ?? text(r.Id) ?? odataId(r);
const capacityData = (r: Json) => obj(obj(r.Capacity).Data);
const free = (total: bigint, used: bigint) => (total > used ? total - used : 0n);

export function toPool(r: Json): DevicePool {
  const data = capacityData(r);
  const total = bytes(data.AllocatedBytes) ?? 0n;
  const used = bytes(data.ConsumedBytes) ?? 0n;
  return {
    nativeStoragePoolId: odataId(r),
    name: nameOf(r),
    description: text(r.Description),
    storageType: 'BLOCK',
    status: storageStatus(r),
    totalCapacity: total,
    usedCapacity: used,
    freeCapacity: free(total, used),
    subscribedCapacity: bytes(data.ProvisionedBytes),
  };
}

// Identifier formats that are world-wide names of a block device, in order of preference.
const WWN_FORMATS = ['NAA', 'EUI', 'NGUID', 'FC_WWN'];

export function wwnOf(r: Json): string | null {
  const ids = Array.isArray(r.Identifiers) ? (r.Identifiers as Json[]) : [];
  for (const format of WWN_FORMATS) {
    const hit = ids.find((i) => i?.DurableNameFormat === format && text(i.DurableName));
    if (hit) return String(hit.DurableName);
  }
  return null;
}

function provisioning(r: Json): ProvisioningType | null {
  const policy = text(r.ProvisioningPolicy);
  if (policy === 'Thin') return 'THIN';
  if (policy === 'Fixed') return 'THICK';
  return null;
}

/** Pools named inline by the volume's CapacitySources (ProvidingPools as a list or with Members). */
export function inlinePoolsOf(r: Json): { pools: string[]; links: string[] } {
  const pools: string[] = [];
  const links: string[] = [];
  for (const source of Array.isArray(r.CapacitySources) ? (r.CapacitySources as Json[]) : []) {
    const providing = source?.ProvidingPools;
    const members = Array.isArray(providing) ? providing : Array.isArray(obj(providing).Members) ? (obj(providing).Members as Json[]) : null;
    if (members) pools.push(...members.map((m) => text(obj(m)['@odata.id'])).filter((p): p is string => p !== null));
    else if (text(obj(providing)['@odata.id'])) links.push(String(obj(providing)['@odata.id']));
  }
  return { pools, links };
}

export function toVolume(r: Json, poolId: string | null): DeviceVolume {
  const data = capacityData(r);
  const total = bytes(r.CapacityBytes) ?? bytes(data.ProvisionedBytes) ?? bytes(data.AllocatedBytes) ?? 0n;
  const used = bytes(data.ConsumedBytes) ?? 0n;
  return {
    nativeVolumeId: odataId(r),
    name: nameOf(r),
    description: text(r.Description),
    type: provisioning(r),
    status: volumeStatus(r),
    nativeStoragePoolId: poolId,
    wwn: wwnOf(r),
    totalCapacity: total,
    usedCapacity: used,
    freeCapacity: free(total, used),
    compressed: typeof r.Compressed === 'boolean' ? r.Compressed : null,
    deduplicated: typeof r.Deduplicated === 'boolean' ? r.Deduplicated : null,
  };
}

const MEDIA: Record<string, DiskMediaType> = { HDD: 'HDD', SMR: 'HDD', SSD: 'SSD' };

/** "Slot 3", a service label, or the location's ordinal. */
export function locationOf(r: Json): string | null {
  const part = obj(obj(r.PhysicalLocation ?? r.Location).PartLocation);
  const label = text(part.ServiceLabel);
  if (label) return label;
  const type = text(part.LocationType);
  const ordinal = num(part.LocationOrdinalValue);
  if (type && ordinal !== null) return `${type} ${ordinal}`;
  return null;
}

export function toDisk(r: Json): DeviceDisk {
  return {
    nativeDiskId: odataId(r),
    name: nameOf(r),
    status: healthStatus(r),
    mediaType: MEDIA[text(r.MediaType) ?? ''] ?? 'UNKNOWN',
    capacity: bytes(r.CapacityBytes) ?? 0n,
    manufacturer: text(r.Manufacturer),
    model: text(r.Model),
    serialNumber: text(r.SerialNumber),
    firmware: text(r.Revision) ?? text(r.FirmwareVersion),
    speedGbps: num(r.NegotiatedSpeedGbs) ?? num(r.CapableSpeedGbs),
    location: locationOf(r),
  };
}

export function toController(r: Json): DeviceController {
  const cacheMiB = num(obj(r.CacheSummary).TotalCacheSizeMiB);
  return {
    nativeControllerId: odataId(r),
    name: text(r.Name) ?? text(r.Id) ?? text(r.MemberId) ?? odataId(r),
    status: healthStatus(r),
    firmware: text(r.FirmwareVersion),
    location: locationOf(r),
    memoryBytes: cacheMiB === null ? null : BigInt(Math.round(cacheMiB)) * 1024n * 1024n,
  };
}

const PORT_TYPES: Record<string, PortType> = {
  FC: 'FC',
  FCoE: 'FC',
  iSCSI: 'ISCSI',
  SAS: 'SAS',
  NVMeOverFabrics: 'NVME_OVER_FABRICS',
  NVMe: 'NVME_OVER_FABRICS',
  InfiniBand: 'INFINIBAND',
  Ethernet: 'ETHERNET',
  TCP: 'ETHERNET',
  RoCE: 'ETHERNET',
  RoCEv2: 'ETHERNET',
  iWARP: 'ETHERNET',
};

const LINK: Record<string, ConnectionStatus> = { LinkUp: 'CONNECTED', LinkDown: 'DISCONNECTED', NoLink: 'DISCONNECTED', Starting: 'DISCONNECTED', Training: 'DISCONNECTED' };

export function toPort(r: Json, controllerId: string | null): DevicePort {
  const fc = obj(r.FibreChannel);
  const eth = obj(r.Ethernet);
  const first = (v: unknown) => (Array.isArray(v) ? text(v[0]) : null);
  return {
    nativePortId: odataId(r),
    name: nameOf(r),
    type: PORT_TYPES[text(r.PortProtocol) ?? ''] ?? 'OTHER',
    connectionStatus: LINK[text(r.LinkStatus) ?? ''] ?? 'UNKNOWN',
    healthStatus: healthStatus(r),
    speedGbps: num(r.CurrentSpeedGbps) ?? num(r.MaxSpeedGbps),
    wwn: first(fc.AssociatedWorldWideNames),
    macAddress: first(eth.AssociatedMACAddresses),
    ipAddress: null,
    location: locationOf(r),
    nativeControllerId: controllerId,
  };
}
