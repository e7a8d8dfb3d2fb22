// A port as Delfin's PortSpec: speeds in bit/s, the address as ipv4 or ipv6.
import { isIPv4, isIPv6 } from 'node:net';
import type { PortView } from '../../../db/stores/port-store.js';
import { compact, delfinEnum } from './values.js';

const PORT_TYPES: Record<string, string> = {
  FC: 'fc', ISCSI: 'iscsi', ETHERNET: 'eth', SAS: 'sas', INFINIBAND: 'ib', NVME_OVER_FABRICS: 'other', OTHER: 'other',
};

export function toDelfinPort(p: PortView) {
  return compact({
    id: p.id,
    name: p.name,
    storage_id: p.storageId,
    native_port_id: p.nativePortId,
    native_parent_id: p.nativeControllerId,
    speed: p.speedGbps === null ? null : Math.round(p.speedGbps * 1e9),
    location: p.location,
    connection_status: delfinEnum(p.connectionStatus, ['connected', 'disconnected', 'unknown']),
    health_status: delfinEnum(p.healthStatus, ['normal', 'abnormal', 'unknown'], { OFFLINE: 'abnormal' }),
    type: PORT_TYPES[p.type],
    wwn: p.wwn,
    mac_address: p.macAddress,
    ipv4: p.ipAddress && isIPv4(p.ipAddress) ? p.ipAddress : null,
    ipv6: p.ipAddress && isIPv6(p.ipAddress) ? p.ipAddress : null,
  });
}
