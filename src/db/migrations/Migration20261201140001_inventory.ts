import { Migration } from '@mikro-orm/migrations';

/**
 * Disks, controllers and ports (issue 14): a storage's hardware, written by the sync like its
 * pools (one row per native id of a storage) and gone with their storage (on delete cascade).
 * A port names its controller by native id, as volumes name their pool: no foreign key, so a
 * device that lists a port of a controller it does not list is stored as it says.
 */
export class Migration20261201140001_inventory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table disk (
        id uuid primary key,
        storage_id uuid not null references storage (id) on delete cascade,
        native_disk_id text not null,
        name text not null,
        status text not null,
        media_type text not null,
        capacity bigint not null,
        manufacturer text,
        model text,
        serial_number text,
        firmware text,
        speed_gbps double precision,
        location text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint disk_storage_native_unique unique (storage_id, native_disk_id)
      );`);
    this.addSql(`
      create table controller (
        id uuid primary key,
        storage_id uuid not null references storage (id) on delete cascade,
        native_controller_id text not null,
        name text not null,
        status text not null,
        firmware text,
        location text,
        memory_bytes bigint,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint controller_storage_native_unique unique (storage_id, native_controller_id)
      );`);
    this.addSql(`
      create table port (
        id uuid primary key,
        storage_id uuid not null references storage (id) on delete cascade,
        native_port_id text not null,
        name text not null,
        type text not null,
        connection_status text not null,
        health_status text not null,
        speed_gbps double precision,
        wwn text,
        mac_address text,
        ip_address text,
        location text,
        native_controller_id text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint port_storage_native_unique unique (storage_id, native_port_id)
      );`);
    // The queries: a storage's rows in id order (pages), as for pools and volumes.
    this.addSql(`create index disk_storage_id_id_index on disk (storage_id, id);`);
    this.addSql(`create index controller_storage_id_id_index on controller (storage_id, id);`);
    this.addSql(`create index port_storage_id_id_index on port (storage_id, id);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists port, controller, disk;');
  }
}
