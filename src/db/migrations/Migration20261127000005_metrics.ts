import { Migration } from '@mikro-orm/migrations';

/**
 * Performance collection. `metrics_config` is the seed's metrics-config per storage (one polling
 * config per resource type); `metric_collection` remembers, per storage and resource type, the
 * end of the last window collected, so a poll after downtime knows what to back-fill. Both go
 * with their storage. A COLLECT_PERFORMANCE task names its resource type and records its windows
 * (collected and lost) in `collection`; one per storage and resource type may be open at a time.
 */
export class Migration20261127000005_metrics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table metrics_config (
        storage_id uuid primary key references storage (id) on delete cascade,
        array_perf_collection boolean not null,
        array_interval integer not null,
        array_is_historic boolean not null,
        pool_perf_collection boolean not null,
        pool_interval integer not null,
        pool_is_historic boolean not null,
        volume_perf_collection boolean not null,
        volume_interval integer not null,
        volume_is_historic boolean not null,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`
      create table metric_collection (
        storage_id uuid not null references storage (id) on delete cascade,
        resource_type text not null,
        collected_until timestamptz not null,
        primary key (storage_id, resource_type)
      );`);
    this.addSql('alter table task add column resource_type text, add column collection jsonb;');
    this.addSql(`
      create unique index task_one_open_collection on task (storage_id, resource_type)
      where kind = 'COLLECT_PERFORMANCE' and status in ('QUEUED', 'RUNNING');`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists task_one_open_collection;');
    this.addSql('alter table task drop column if exists resource_type, drop column if exists collection;');
    this.addSql('drop table if exists metric_collection;');
    this.addSql('drop table if exists metrics_config;');
  }
}
