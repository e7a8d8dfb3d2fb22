import { Migration } from '@mikro-orm/migrations';

const KINDS = ['disk', 'controller', 'port'];

/**
 * Performance of disks, controllers and ports (issue 16, the contract's diskPolling,
 * controllerPolling and portPolling): three more polling configs per storage, off at 900 s for
 * the storages registered before (a new storage gets the policy file's defaults).
 */
export class Migration20261201150003_hardware_polling extends Migration {
  override async up(): Promise<void> {
    const columns = KINDS.flatMap((k) => [
      `add column ${k}_perf_collection boolean not null default false`,
      `add column ${k}_interval integer not null default 900`,
      `add column ${k}_is_historic boolean not null default false`,
    ]);
    this.addSql(`alter table metrics_config ${columns.join(', ')};`);
  }

  override async down(): Promise<void> {
    const columns = KINDS.flatMap((k) => [`drop column if exists ${k}_perf_collection`, `drop column if exists ${k}_interval`, `drop column if exists ${k}_is_historic`]);
    this.addSql(`alter table metrics_config ${columns.join(', ')};`);
  }
}
