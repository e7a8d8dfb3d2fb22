import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ServiceUnreachableError } from '../lib/service-unreachable.js';
import { trackConnection } from './connection-state.js';

export type { NatsConnection };

const HOW_TO_START =
  'start nats-server with JetStream (`nats-server -js`, or `docker compose up -d nats`) or set NATS_URL';

/** Connects once (failing fast at start-up), then reconnects forever if the server goes away. */
export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  try {
    const nc = await connect({
      servers: url.split(','),
      name,
      timeout: 5000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    void trackConnection(nc);
    return nc;
  } catch (err) {
    throw new ServiceUnreachableError('NATS', url, HOW_TO_START, err);
  }
}
