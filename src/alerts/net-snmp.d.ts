// The part of net-snmp (which ships no types) the trap receiver uses.
declare module 'net-snmp' {
  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  export interface Pdu {
    type: number;
    varbinds: Varbind[];
    /** v1 Trap-PDU fields. */
    enterprise?: string;
    agentAddr?: string;
    generic?: number;
    specific?: number;
    contextEngineID?: string;
    id?: number;
    upTime?: number;
  }
  export interface RemoteInfo {
    address: string;
    family: string;
    port: number;
    size: number;
  }
  export interface Notification {
    pdu: Pdu;
    rinfo: RemoteInfo;
  }
  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }
  export interface Authorizer {
    communities: string[];
    users: User[];
  }
  export interface Receiver {
    authorizer: Authorizer;
    getAuthorizer(): Authorizer;
    close(callback?: () => void): void;
  }
  export interface ReceiverOptions {
    port: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    engineID?: string;
    dgramModule?: unknown;
    disableAuthorization?: boolean;
  }
  export function createReceiver(options: ReceiverOptions, callback: (error: (Error & { rinfo?: RemoteInfo }) | null, data?: Notification) => void): Receiver;
  export const ObjectType: Record<number | string, string | number>;
  export const PduType: Record<number | string, string | number>;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: Record<string, number>;
  export const PrivProtocols: Record<string, number>;
}
