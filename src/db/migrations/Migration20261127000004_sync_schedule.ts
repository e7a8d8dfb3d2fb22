import { Migration } from '@mikro-orm/migrations';

/**
 * The periodic sync of each storage, mirrored from the scheduler's job store (Agenda, in MongoDB
 * or PostgreSQL) for queries: Storage.syncSchedule reads it in one query for a page of storages.
 * The api writes it when a schedule changes; the scheduler records each run's times.
 */
export class Migration20261127000004_sync_schedule extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table sync_schedule (
        storage_id uuid primary key references storage (id) on delete cascade,
        enabled boolean not null,
        interval_seconds integer,
        cron text,
        next_run_at timestamptz,
        last_run_at timestamptz,
        updated_at timestamptz not null default now(),
        constraint sync_schedule_one_of check ((interval_seconds is null) <> (cron is null))
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists sync_schedule;');
  }
}
