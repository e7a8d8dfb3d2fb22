// Every new and every cleared alert on NATS, `<namespace>.alerts.<storageId>`, as AlertMessage
// JSON; api processes feed alertEvents from there.
import type { NatsConnection } from '@nats-io/transport-node';
import { alertSubject, toMessage, type AlertRecord } from './alert.js';

export class AlertPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
  ) {}

  publish(alert: AlertRecord): void {
    this.nc.publish(alertSubject(this.namespace, alert.storageId), JSON.stringify(toMessage(alert)));
  }
}
