import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * REST or SSH endpoint as stored: the password only as AES-256-GCM ciphertext. A REST endpoint
 * also keeps how to trust the array's certificate (not secret); absent keys (rows written before
 * they existed) mean the defaults: verify, no CA of its own, no pin.
 */
export interface StoredEndpoint {
  host: string;
  port: number;
  username: string;
  passwordEncrypted?: string | null;
  pubKey?: string | null;
  caCertificate?: string | null;
  /** "AB:CD:..." (64 hex digits). */
  certificateFingerprint?: string | null;
  verifyTls?: boolean | null;
}

/** How to reach a storage. One row per storage; removed with it. */
@Entity({ tableName: 'access_info' })
export class AccessInfo {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  storageId!: string;

  @Property({ type: 'json', nullable: true })
  rest?: StoredEndpoint | null;

  @Property({ type: 'json', nullable: true })
  ssh?: StoredEndpoint | null;

  @Property({ type: 'json', nullable: true })
  extraAttributes?: Record<string, unknown> | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
