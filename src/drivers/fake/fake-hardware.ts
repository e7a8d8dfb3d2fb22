// The simulated array's hardware: `disks` disks, `controllers` controllers and
// `portsPerController` ports on each, every one a pure function of (seed, index, revision).
// Churn, revision k (1..r): about 5 % of the base disks are removed, about 10 % change (health
// flips, firmware moves on), ceil(5 % × disks) disks are added; about 10 % of the ports flip
// their link. Controllers do not churn. Small rates on purpose: arrays have tens of disks,
// and a revision should change some.
import type { ConnectionStatus, DeviceController, DeviceDisk, DevicePort, HealthStatus } from '../driver.js';
import { Domain, type FakeDevice, domainKey, padNumber } from './fake-device.js';
import { draw, drawInt, hash2, toUnit } from './prng.js';

export const DISK_REMOVE_RATE = 0.05;
export const DISK_CHANGE_RATE = 0.1;
export const PORT_FLIP_RATE = 0.1;

const GB = 1000n ** 3n;
const GiB = 1024n ** 3n;
const DISK_SIZES_GB = [960, 1920, 3840, 7680, 15360];
const SLOTS_PER_ENCLOSURE = 24;

/** How many disks each revision adds. */
export function disksAddedPerRevision(disks: number): number {
  return Math.ceil(disks * 0.05);
}

export function baseDiskId(index: number): string {
  return `disk-${padNumber(index + 1, 4)}`;
}

export function addedDiskId(revision: number, ordinal: number): string {
  return `disk-r${revision}-${padNumber(ordinal, 4)}`;
}

function diskFrom(device: FakeDevice, id: string, h: number, slot: number): DeviceDisk {
  const ssd = draw(h, 1) < 0.6;
  return {
    nativeDiskId: id,
    name: `fake-${id}`,
    status: draw(h, 2) < 0.97 ? 'NORMAL' : 'ABNORMAL',
    mediaType: ssd ? 'SSD' : 'HDD',
    capacity: BigInt(DISK_SIZES_GB[drawInt(h, 3, 0, DISK_SIZES_GB.length - 1)]!) * GB,
    manufacturer: 'Fake Disks Inc.',
    model: ssd ? 'FD-SSD-9' : 'FD-HDD-7',
    serialNumber: `FD${device.seedHash.toString(16).padStart(8, '0')}${padNumber(slot, 6)}`.toUpperCase(),
    firmware: `D${drawInt(h, 4, 1, 9)}0${drawInt(h, 5, 0, 9)}`,
    speedGbps: ssd ? 24 : 12,
    location: `enclosure ${Math.floor(slot / SLOTS_PER_ENCLOSURE) + 1}, slot ${(slot % SLOTS_PER_ENCLOSURE) + 1}`,
  };
}

function baseDisk(device: FakeDevice, index: number): DeviceDisk {
  return diskFrom(device, baseDiskId(index), hash2(domainKey(device, Domain.Disk), index), index);
}

/** The `ordinal`-th (1-based) disk added by revision `revision`, in the slots after the base disks. */
function addedDisk(device: FakeDevice, revision: number, ordinal: number): DeviceDisk {
  const h = hash2(hash2(domainKey(device, Domain.DiskAdded), revision), ordinal);
  const slot = device.options.disks + (revision - 1) * disksAddedPerRevision(device.options.disks) + ordinal - 1;
  return diskFrom(device, addedDiskId(revision, ordinal), h, slot);
}

function diskChurnDraw(device: FakeDevice, revision: number, index: number): number {
  return toUnit(hash2(hash2(domainKey(device, Domain.DiskChurn), revision), index));
}

const flipHealth = (s: HealthStatus): HealthStatus => (s === 'NORMAL' ? 'ABNORMAL' : 'NORMAL');

/** Base disk `index` as revision `revision` has it, or undefined once removed. */
export function baseDiskAt(device: FakeDevice, index: number, revision: number): DeviceDisk | undefined {
  let disk = baseDisk(device, index);
  for (let k = 1; k <= revision; k++) {
    const u = diskChurnDraw(device, k, index);
    if (u < DISK_REMOVE_RATE) return undefined;
    if (u < DISK_REMOVE_RATE + DISK_CHANGE_RATE) disk = { ...disk, status: flipHealth(disk.status), firmware: `D${k}-${disk.firmware}` };
  }
  return disk;
}

/** Every disk of `revision`: surviving base disks by index, then those added by revision 1, 2, ... */
export function* disksAt(device: FakeDevice, revision: number): Generator<DeviceDisk> {
  const { disks } = device.options;
  for (let i = 0; i < disks; i++) {
    const d = baseDiskAt(device, i, revision);
    if (d) yield d;
  }
  const added = disksAddedPerRevision(disks);
  for (let k = 1; k <= revision; k++) for (let j = 1; j <= added; j++) yield addedDisk(device, k, j);
}

export function controllerId(index: number): string {
  return `ctrl-${padNumber(index + 1, 2)}`;
}

export function controllersOf(device: FakeDevice): DeviceController[] {
  return Array.from({ length: device.options.controllers }, (_, i) => {
    const h = hash2(domainKey(device, Domain.Controller), i);
    const id = controllerId(i);
    return {
      nativeControllerId: id,
      name: `fake-${id}`,
      status: draw(h, 1) < 0.95 ? 'NORMAL' : 'ABNORMAL',
      firmware: `C${drawInt(h, 2, 1, 5)}.${drawInt(h, 3, 0, 9)}`,
      location: `enclosure 1, controller slot ${i + 1}`,
      memoryBytes: BigInt(2 ** drawInt(h, 4, 5, 8)) * GiB, // 32–256 GiB of cache
    };
  });
}

/** Port `p` of controller `c` at `revision`: even ports are FC, odd ones iSCSI. */
function portAt(device: FakeDevice, c: number, p: number, revision: number): DevicePort {
  const n = c * device.options.portsPerController + p;
  const h = hash2(domainKey(device, Domain.Port), n);
  const fc = p % 2 === 0;
  let connectionStatus: ConnectionStatus = draw(h, 1) < 0.9 ? 'CONNECTED' : 'DISCONNECTED';
  for (let k = 1; k <= revision; k++) {
    if (toUnit(hash2(hash2(domainKey(device, Domain.PortChurn), k), n)) < PORT_FLIP_RATE) {
      connectionStatus = connectionStatus === 'CONNECTED' ? 'DISCONNECTED' : 'CONNECTED';
    }
  }
  const ctrl = controllerId(c);
  const hex = (device.seedHash ^ n).toString(16).padStart(8, '0').slice(-8);
  return {
    nativePortId: `${ctrl}-port-${p + 1}`,
    name: `fake-${ctrl}-port-${p + 1}`,
    type: fc ? 'FC' : 'ISCSI',
    connectionStatus,
    healthStatus: 'NORMAL',
    speedGbps: fc ? 32 : 25,
    wwn: fc ? `50:0a:09:8${hex[0]}:${hex.slice(1, 3)}:${hex.slice(3, 5)}:${hex.slice(5, 7)}:${padNumber(n % 100, 2)}` : null,
    macAddress: fc ? null : `02:fa:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${padNumber(n % 100, 2)}`,
    ipAddress: fc ? null : `10.${c}.${Math.floor(p / 250)}.${(p % 250) + 1}`,
    location: `${ctrl}, port ${p + 1}`,
    nativeControllerId: ctrl,
  };
}

/** Every port, controller by controller. */
export function portsAt(device: FakeDevice, revision: number): DevicePort[] {
  const { controllers, portsPerController } = device.options;
  const ports: DevicePort[] = [];
  for (let c = 0; c < controllers; c++) for (let p = 0; p < portsPerController; p++) ports.push(portAt(device, c, p, revision));
  return ports;
}
