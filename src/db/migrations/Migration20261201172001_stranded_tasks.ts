import { Migration } from '@mikro-orm/migrations';

/**
 * Tasks committed QUEUED whose message never reached the stream (the process that made them
 * died between the commit and the publish): found by the relay (src/tasks/queueing/
 * stranded-tasks.ts) through this small partial index, since a published task has its bus
 * sequence and a queued one leaves the set as soon as it runs.
 */
export class Migration20261201172001_stranded_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index task_unpublished on task (updated_at) where status = 'QUEUED' and bus_sequence is null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists task_unpublished;');
  }
}
