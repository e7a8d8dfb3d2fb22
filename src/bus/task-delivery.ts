// One delivery of a task message, with the acknowledgements a worker needs. The task runner
// sees only the TaskDelivery interface (a test drives it with its own deliveries); the
// JetStream one is written against the raw protocol (ack subjects) because the worker pulls
// with `no_wait` across priority consumers, which the client library does not expose.
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { decodeTaskMessage, type TaskMessage } from './task-message.js';

const encoder = new TextEncoder();

export interface TaskDelivery {
  /** The task to run; undefined when the message is malformed. */
  readonly message: TaskMessage | undefined;
  /** 1 on the first delivery, 2 on the first redelivery, ... */
  readonly deliveryCount: number;
  /** Done: the message leaves the work queue. Resolves once the bus confirmed it. */
  ack(): Promise<void>;
  /** Not now: redeliver after `delayMs` (to this or another worker). */
  nak(delayMs?: number): void;
  /** Still working: resets the ack-wait timer, so a long task is not redelivered. */
  working(): void;
  /** Never redeliver (a malformed message). */
  term(): void;
}

export class NatsTaskDelivery implements TaskDelivery {
  readonly message: TaskMessage | undefined;
  /** 1 on the first delivery, 2 on the first redelivery, ... */
  readonly deliveryCount: number;

  constructor(
    private readonly nc: NatsConnection,
    private readonly msg: Msg,
  ) {
    this.message = decodeTaskMessage(msg.data);
    this.deliveryCount = parseDeliveryCount(msg.reply ?? '');
  }

  /** Done: the message leaves the work queue. Waits for the server's confirmation. */
  async ack(): Promise<void> {
    await this.confirm('+ACK');
  }

  /** Not now: redeliver after `delayMs` (to this or another worker). */
  nak(delayMs = 0): void {
    const body = delayMs > 0 ? `-NAK ${JSON.stringify({ delay: delayMs * 1_000_000 })}` : '-NAK';
    this.send(body);
  }

  /** Still working: resets the ack-wait timer, so a long sync is not redelivered. */
  working(): void {
    this.send('+WPI');
  }

  /** Never redeliver (a malformed message). */
  term(): void {
    this.send('+TERM');
  }

  private send(body: string): void {
    if (this.msg.reply && !this.nc.isClosed()) this.nc.publish(this.msg.reply, encoder.encode(body));
  }

  private async confirm(body: string): Promise<void> {
    if (!this.msg.reply) return;
    await this.nc.request(this.msg.reply, encoder.encode(body), { timeout: 5000 });
  }
}

/** `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>` (or the v2 form with domain and account). */
export function parseDeliveryCount(reply: string): number {
  const tokens = reply.split('.');
  const index = tokens.length === 9 ? 4 : tokens.length >= 11 ? 6 : -1;
  const n = index >= 0 ? Number(tokens[index]) : NaN;
  return Number.isFinite(n) && n > 0 ? n : 1;
}
