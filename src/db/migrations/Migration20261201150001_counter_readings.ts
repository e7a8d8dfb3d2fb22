import { Migration } from '@mikro-orm/migrations';

/** Resource tables whose deleted rows take their counter readings along. */
const RESOURCES = [
  { table: 'storage_pool', type: 'STORAGE_POOL', native: 'native_storage_pool_id' },
  { table: 'volume', type: 'VOLUME', native: 'native_volume_id' },
  { table: 'disk', type: 'DISK', native: 'native_disk_id' },
  { table: 'controller', type: 'CONTROLLER', native: 'native_controller_id' },
  { table: 'port', type: 'PORT', native: 'native_port_id' },
];

/**
 * Cumulative counters (issue 14): a counter-based driver (Swordfish) turns two readings of a
 * resource's counters into rates, so the last reading of each resource is kept here, per storage,
 * resource type and native id. Any worker's next poll reads it, so rates survive a restart. It
 * goes with its storage (on delete cascade) and with its resource: a statement trigger on each
 * resource table deletes the readings of the rows a statement deleted (one join per statement,
 * however the sync or the storage deletion removes them).
 */
export class Migration20261201150001_counter_readings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table metric_counter_reading (
        storage_id uuid not null references storage (id) on delete cascade,
        resource_type text not null,
        resource_id text not null,
        read_at timestamptz(3) not null,
        counters jsonb not null,
        primary key (storage_id, resource_type, resource_id)
      );`);
    for (const r of RESOURCES) {
      this.addSql(`
        create function ${r.table}_forget_counters() returns trigger language plpgsql as $$
        begin
          delete from metric_counter_reading m using gone g
          where m.storage_id = g.storage_id and m.resource_type = '${r.type}' and m.resource_id = g.${r.native};
          return null;
        end $$;`);
      this.addSql(`
        create trigger ${r.table}_forget_counters after delete on ${r.table}
        referencing old table as gone for each statement execute function ${r.table}_forget_counters();`);
    }
  }

  override async down(): Promise<void> {
    for (const r of RESOURCES) {
      this.addSql(`drop trigger if exists ${r.table}_forget_counters on ${r.table};`);
      this.addSql(`drop function if exists ${r.table}_forget_counters();`);
    }
    this.addSql('drop table if exists metric_counter_reading;');
  }
}
