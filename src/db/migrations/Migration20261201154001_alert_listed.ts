import { Migration } from '@mikro-orm/migrations';

/**
 * Alerts from the device's own listing (driver `listAlerts`). `listed_at`: when a device listing
 * last had the alert (null: it only came as a trap). An open alert a listing had and the next
 * listing no longer has is cleared; one that came only as a trap is left to its clear trap.
 */
export class Migration20261201154001_alert_listed extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table alert add column listed_at timestamptz;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table alert drop column if exists listed_at;');
  }
}
