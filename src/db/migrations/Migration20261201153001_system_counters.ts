import { Migration } from '@mikro-orm/migrations';

/**
 * The system's own counters (issue 16): tasks ended by kind and status, their durations, driver
 * calls and traps, kept in PostgreSQL so that every api replica exports the same totals whatever
 * process counted them (workers, alerts). One row per metric and label set; a histogram keeps one
 * row per bucket (`le` among its labels) plus its `_sum` and `_count`. Rows are only added to:
 * counters never go down, and restarts lose nothing.
 */
export class Migration20261201153001_system_counters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table system_counter (
        metric text not null,
        labels jsonb not null,
        value double precision not null,
        updated_at timestamptz not null default now(),
        constraint system_counter_pkey primary key (metric, labels)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists system_counter;');
  }
}
