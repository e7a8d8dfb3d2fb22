import { Migration } from '@mikro-orm/migrations';

/**
 * The volume fingerprint of migration 3, over the same text, becomes the low 53 bits of
 * PostgreSQL's 64-bit `hashtextextended` (a bigint) instead of an md5 (32 hex digits): the
 * worker computes it for every listed volume of every sync, and there it is a fraction of the
 * cost of an md5 and its hex string, and a number (src/lib/pg-hash-text.ts is the same
 * function in JavaScript; a test keeps the two in agreement). Redefining a generated column
 * rewrites the table once.
 */
const COLUMNS = [
  'name', 'description', 'type', 'status', 'native_storage_pool_id', 'wwn',
  'total_capacity', 'used_capacity', 'free_capacity', 'compressed', 'deduplicated',
];
// `||` (not concat_ws, which is only stable) keeps the expression immutable, as generated columns require.
const TEXT = COLUMNS.map((c) => `coalesce(${c}::text, '\\N')`).join(' || chr(31) || ');

export class Migration20261127000006_volume_fingerprint_hash extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table volume drop column fingerprint;');
    this.addSql(`alter table volume add column fingerprint bigint generated always as (hashtextextended(${TEXT}, 0) & ${2 ** 53 - 1}) stored;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table volume drop column fingerprint;');
    this.addSql(`alter table volume add column fingerprint text generated always as (md5(${TEXT})) stored;`);
  }
}
