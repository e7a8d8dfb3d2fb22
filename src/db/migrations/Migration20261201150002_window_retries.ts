import { Migration } from '@mikro-orm/migrations';

/**
 * Failed performance windows (issue 16): a window the driver failed to give is kept here and
 * tried again by later polls (of any worker) with a back-off, until the retry horizon; only then
 * is it recorded as lost. Goes with its storage.
 */
export class Migration20261201150002_window_retries extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table metric_window_retry (
        storage_id uuid not null references storage (id) on delete cascade,
        resource_type text not null,
        window_start timestamptz(3) not null,
        window_end timestamptz(3) not null,
        tries integer not null,
        first_failed_at timestamptz not null,
        next_try_at timestamptz not null,
        last_error text not null,
        primary key (storage_id, resource_type, window_start)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists metric_window_retry;');
  }
}
