import { Migration } from '@mikro-orm/migrations';

/**
 * Task runs (one row per delivery a worker ran: who, when, how it ended), which make overlaps
 * and crashes visible, and the JetStream sequence of a queued task, so cancelling it can remove
 * its message from the stream.
 */
export class Migration20261127000002_task_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table task add column bus_sequence bigint;`);
    this.addSql(`
      create table task_run (
        id bigserial primary key,
        task_id uuid not null references task (id) on delete cascade,
        storage_id uuid not null,
        worker text not null,
        attempt integer not null,
        started_at timestamptz not null default now(),
        heartbeat_at timestamptz not null default now(),
        -- Until when the run's storage lease held at its last heartbeat: a run that never ended
        -- (its worker died) cannot have lasted past it.
        lease_until timestamptz,
        ended_at timestamptz,
        outcome text
      );`);
    this.addSql(`create index task_run_task_id_index on task_run (task_id);`);
    this.addSql(`create index task_run_storage_id_started_at_index on task_run (storage_id, started_at);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists task_run;');
    this.addSql('alter table task drop column if exists bus_sequence;');
  }
}
