// The contract's alert types (section "added 2026-12-01"): alert sources and alerts.
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { SNMP_AUTH_PROTOCOLS, SNMP_PRIVACY_PROTOCOLS, type SnmpAuthProtocol, type SnmpPrivacyProtocol, type SnmpVersion } from '../../alerts/alert-source.js';
import type { AlertState } from '../../alerts/alert.js';
import type { AlertCategory, AlertSeverity } from '../../drivers/driver.js';
import { DateTimeScalar } from '../scalars.js';
import { connectionTypes } from './connection.js';
import { Node } from './node.js';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const AlertSeverityEnum = asEnum(['FATAL', 'CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INFORMATIONAL', 'NOT_SPECIFIED'] as const);
export const AlertCategoryEnum = asEnum(['FAULT', 'EVENT', 'RECOVERY', 'NOT_SPECIFIED'] as const);
export const AlertStateEnum = asEnum(['OPEN', 'CLEARED'] as const);
export const SnmpVersionEnum = asEnum(['V2C', 'V3'] as const);
export const SnmpAuthProtocolEnum = asEnum(SNMP_AUTH_PROTOCOLS);
export const SnmpPrivacyProtocolEnum = asEnum(SNMP_PRIVACY_PROTOCOLS);

registerEnumType(AlertSeverityEnum, { name: 'AlertSeverity' });
registerEnumType(AlertCategoryEnum, { name: 'AlertCategory' });
registerEnumType(AlertStateEnum, { name: 'AlertState' });
registerEnumType(SnmpVersionEnum, { name: 'SnmpVersion' });
registerEnumType(SnmpAuthProtocolEnum, { name: 'SnmpAuthProtocol' });
registerEnumType(SnmpPrivacyProtocolEnum, { name: 'SnmpPrivacyProtocol' });

@ObjectType({ description: "Where a storage's SNMP traps come from, and how they are authenticated. Never returns the community or the keys." })
export class AlertSource {
  @Field()
  host!: string;

  @Field(() => SnmpVersionEnum)
  version!: SnmpVersion;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => SnmpAuthProtocolEnum, { nullable: true })
  authProtocol?: SnmpAuthProtocol | null;

  @Field(() => SnmpPrivacyProtocolEnum, { nullable: true })
  privacyProtocol?: SnmpPrivacyProtocol | null;

  @Field(() => String, { nullable: true })
  engineId?: string | null;
}

@InputType()
export class AlertSourceInput {
  @Field({ description: 'The IP address traps come from.' })
  host!: string;

  @Field(() => SnmpVersionEnum)
  version!: SnmpVersion;

  @Field(() => String, { nullable: true, description: 'V2C.' })
  community?: string | null;

  @Field(() => String, { nullable: true, description: 'V3 (USM).' })
  username?: string | null;

  @Field(() => SnmpAuthProtocolEnum, { nullable: true })
  authProtocol?: SnmpAuthProtocol | null;

  @Field(() => String, { nullable: true, description: 'At least 8 characters.' })
  authKey?: string | null;

  @Field(() => SnmpPrivacyProtocolEnum, { nullable: true })
  privacyProtocol?: SnmpPrivacyProtocol | null;

  @Field(() => String, { nullable: true, description: 'At least 8 characters.' })
  privacyKey?: string | null;

  @Field(() => String, { nullable: true, description: "The sender's authoritative engine id, hex, with or without 0x." })
  engineId?: string | null;
}

@ObjectType({ implements: Node })
export class Alert extends Node {
  storageId!: string;

  @Field({ description: 'The kind of alert, as the device names it.' })
  alertId!: string;

  @Field()
  alertName!: string;

  @Field(() => AlertSeverityEnum)
  severity!: AlertSeverity;

  @Field(() => AlertCategoryEnum)
  category!: AlertCategory;

  @Field(() => String, { nullable: true })
  type?: string | null;

  @Field()
  description!: string;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => String, { nullable: true, description: 'The kind of component (Disk, Controller, Pool, ...), as parsed.' })
  resourceType?: string | null;

  @Field({ description: 'This occurrence; a clear names it.' })
  sequenceNumber!: string;

  @Field(() => String, { nullable: true })
  recoveryAdvice?: string | null;

  @Field(() => DateTimeScalar)
  occurredAt!: Date;

  @Field(() => DateTimeScalar)
  receivedAt!: Date;

  @Field(() => AlertStateEnum)
  state!: AlertState;

  @Field(() => DateTimeScalar, { nullable: true })
  clearedAt?: Date | null;
}

export const AlertConnection = connectionTypes('Alert', Alert);
