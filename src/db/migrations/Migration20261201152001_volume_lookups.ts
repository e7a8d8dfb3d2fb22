import { Migration } from '@mikro-orm/migrations';

/**
 * Volume lookups (issue 16): an index for each filter and each order of `volumes`, so a page
 * deep in a million volumes reads about one page of index entries.
 *
 * - Orders (name, total and used capacity, creation) with the id breaking ties: keyset pages
 *   walk `(column, id)` forwards or backwards, within one storage `(storage_id, column, id)`
 *   and across all `(column, id)`.
 * - Part of the name, any case: a trigram GIN index (pg_trgm, a trusted extension since
 *   PostgreSQL 13, so the database's owner creates it without being a superuser); it serves
 *   `ilike '%part%'` of three characters or more.
 * - WWN, exact in any case: `lower(wwn)`. Native volume id across storages: `native_volume_id`
 *   (within one storage the unique constraint serves). Pool: `(storage_id, native_storage_pool_id, id)`.
 * - Status: the rare one (ERROR) has partial indexes; AVAILABLE is nearly every row, read in
 *   the order's own index.
 */
export class Migration20261201152001_volume_lookups extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists pg_trgm;');
    for (const column of ORDER_COLUMNS) {
      this.addSql(`create index volume_storage_${column}_index on volume (storage_id, ${column}, id);`);
      this.addSql(`create index volume_${column}_index on volume (${column}, id);`);
    }
    this.addSql('create index volume_name_trgm_index on volume using gin (name gin_trgm_ops);');
    this.addSql('create index volume_wwn_lower_index on volume (lower(wwn));');
    this.addSql('create index volume_native_volume_id_index on volume (native_volume_id);');
    this.addSql('create index volume_storage_pool_index on volume (storage_id, native_storage_pool_id, id);');
    this.addSql(`create index volume_error_storage_index on volume (storage_id, id) where status = 'ERROR';`);
    this.addSql(`create index volume_error_index on volume (id) where status = 'ERROR';`);
  }

  override async down(): Promise<void> {
    for (const column of ORDER_COLUMNS) {
      this.addSql(`drop index if exists volume_storage_${column}_index;`);
      this.addSql(`drop index if exists volume_${column}_index;`);
    }
    for (const name of ['name_trgm', 'wwn_lower', 'native_volume_id', 'storage_pool', 'error_storage', 'error']) {
      this.addSql(`drop index if exists volume_${name}_index;`);
    }
  }
}

const ORDER_COLUMNS = ['name', 'total_capacity', 'used_capacity', 'created_at'] as const;
