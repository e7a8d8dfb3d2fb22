import { Migration } from '@mikro-orm/migrations';

/** Storages, their access info, pools, volumes, tasks and the per-storage sync lease. */
export class Migration20261127000001_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table storage (
        id uuid primary key,
        name text not null,
        description text,
        vendor text not null,
        model text not null,
        serial_number text not null,
        firmware_version text,
        location text,
        status text not null,
        sync_state text not null default 'NEVER_SYNCED',
        total_capacity bigint not null,
        used_capacity bigint not null,
        free_capacity bigint not null,
        raw_capacity bigint,
        subscribed_capacity bigint,
        last_synced_at timestamptz,
        deleting boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint storage_serial_number_unique unique (serial_number)
      );`);
    this.addSql(`create index storage_vendor_model_index on storage (vendor, model);`);
    this.addSql(`
      create table access_info (
        storage_id uuid primary key references storage (id) on delete cascade,
        rest jsonb,
        ssh jsonb,
        extra_attributes jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`
      create table storage_pool (
        id uuid primary key,
        storage_id uuid not null references storage (id) on delete cascade,
        native_storage_pool_id text not null,
        name text not null,
        description text,
        storage_type text,
        status text not null,
        total_capacity bigint not null,
        used_capacity bigint not null,
        free_capacity bigint not null,
        subscribed_capacity bigint,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint storage_pool_storage_native_unique unique (storage_id, native_storage_pool_id)
      );`);
    this.addSql(`
      create table volume (
        id uuid primary key,
        storage_id uuid not null references storage (id) on delete cascade,
        native_volume_id text not null,
        name text not null,
        description text,
        type text,
        status text not null,
        native_storage_pool_id text,
        wwn text,
        total_capacity bigint not null,
        used_capacity bigint not null,
        free_capacity bigint not null,
        compressed boolean,
        deduplicated boolean,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint volume_storage_native_unique unique (storage_id, native_volume_id)
      );`);
    // Keyset paging of a storage's pools and volumes (Storage.pools / Storage.volumes).
    this.addSql(`create index storage_pool_storage_id_id_index on storage_pool (storage_id, id);`);
    this.addSql(`create index volume_storage_id_id_index on volume (storage_id, id);`);
    this.addSql(`
      create table task (
        id uuid primary key,
        kind text not null,
        status text not null,
        priority text not null default 'NORMAL',
        storage_id uuid not null,
        progress double precision not null default 0,
        phase text,
        message text,
        error text,
        attempts integer not null default 0,
        stats jsonb,
        cancel_requested boolean not null default false,
        version integer not null default 1,
        scheduled_for timestamptz,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create index task_storage_id_created_at_index on task (storage_id, created_at);`);
    this.addSql(`create index task_status_index on task (status);`);
    // Rule 2: at most one open sync and one open removal per storage, whatever the race.
    this.addSql(`
      create unique index task_one_open_per_storage_and_kind on task (storage_id, kind)
        where status in ('QUEUED', 'RUNNING') and kind in ('SYNC_RESOURCES', 'REMOVE_STORAGE');`);
    this.addSql(`
      create table storage_lease (
        storage_id uuid primary key references storage (id) on delete cascade,
        holder text not null,
        expires_at timestamptz not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists storage_lease, task, volume, storage_pool, access_info, storage cascade;');
  }
}
