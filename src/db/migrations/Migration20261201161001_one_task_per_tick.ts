import { Migration } from '@mikro-orm/migrations';

/**
 * One task per periodic tick. `periodic`: the sync was queued by a periodic sync's tick, whose
 * due time is its scheduled_for. A tick is delivered at least once (a scheduler killed after
 * queueing and before recording the run, a job lock that expired, two jobs of one storage
 * after a job-store restart): the unique index makes a repeated tick find the task it made
 * instead of queueing another. Rows written before this migration are not periodic, so the
 * index is built whatever they hold.
 */
export class Migration20261201161001_one_task_per_tick extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table task add column periodic boolean not null default false;');
    this.addSql('create unique index task_one_per_tick on task (storage_id, kind, scheduled_for) where periodic;');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists task_one_per_tick;');
    this.addSql('alter table task drop column if exists periodic;');
  }
}
