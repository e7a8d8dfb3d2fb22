// The floor under event delivery: a raw NATS core publish → subscribe round trip on this
// machine (two connections to the same server, as a worker and an api have), with no delfin code.
import { connect } from '@nats-io/transport-node';
import { percentile } from '../test/support/fleet.js';

export async function natsRoundTrip(url: string, subject: string, count = 2000): Promise<{ p50: number; p99: number; max: number }> {
  const [pub, sub] = await Promise.all([connect({ servers: url }), connect({ servers: url })]);
  const latencies: number[] = [];
  try {
    let received!: () => void;
    const all = new Promise<void>((r) => (received = r));
    sub.subscribe(subject, {
      callback: (_err, msg) => {
        latencies.push(performance.timeOrigin + performance.now() - Number(msg.string()));
        if (latencies.length === count) received();
      },
    });
    await sub.flush();
    for (let i = 0; i < count; i++) {
      pub.publish(subject, String(performance.timeOrigin + performance.now()));
      // Paced like a sync's events, not a burst that would measure queueing instead.
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    await all;
  } finally {
    await Promise.all([pub.close(), sub.close()]);
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}
