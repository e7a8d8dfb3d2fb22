import { Migration } from '@mikro-orm/migrations';

/**
 * A fingerprint of each volume's synced columns, kept by PostgreSQL on every write (a generated
 * column), so a sync reads one short value per stored volume instead of whole rows. The worker
 * computes the same md5 over the device's values (tasks/sync/resource-table.ts); a test keeps
 * the two in agreement. Changing the synced columns means a migration redefining this one.
 */
export class Migration20261127000003_volume_fingerprint extends Migration {
  override async up(): Promise<void> {
    const columns = [
      'name', 'description', 'type', 'status', 'native_storage_pool_id', 'wwn',
      'total_capacity', 'used_capacity', 'free_capacity', 'compressed', 'deduplicated',
    ];
    // `||` (not concat_ws, which is only stable) keeps the expression immutable, as generated columns require.
    const text = columns.map((c) => `coalesce(${c}::text, '\\N')`).join(' || chr(31) || ');
    this.addSql(`alter table volume add column fingerprint text generated always as (md5(${text})) stored;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table volume drop column if exists fingerprint;');
  }
}
