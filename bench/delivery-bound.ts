// The best publish → client latency a machine allows for a fan-out, from the CPU one delivery
// costs (the api's and the client's, measured): its cores deliver `cores / cpuSecondsPerDelivery`
// a second at most. A sync's events are taken as published evenly over its duration, each to
// every subscriber, served in order at that rate; the p99 of that queue is the bound.
import { percentile } from '../test/support/fleet.js';

export interface DeliveryBoundInput {
  cores: number;
  cpuSecondsPerDelivery: number;
  subscribers: number;
  /** Events of one sync. */
  events: number;
  syncSeconds: number;
}

export function deliveryBound(o: DeliveryBoundInput): { cores: number; deliveriesPerSecond: number; p99Ms: number; syncSeconds: number } {
  const rate = o.cores / o.cpuSecondsPerDelivery;
  // Each event's deliveries finish evenly from its start to its end; a sample of 100 per event.
  const samples: number[] = [];
  let free = 0;
  for (let k = 0; k < o.events; k++) {
    const at = o.events > 1 ? (k * o.syncSeconds) / (o.events - 1) : 0;
    const start = Math.max(at, free);
    free = start + o.subscribers / rate;
    for (let i = 1; i <= 100; i++) samples.push((start - at + ((o.subscribers / rate) * i) / 100) * 1000);
  }
  return { cores: o.cores, deliveriesPerSecond: rate, p99Ms: percentile(samples, 99), syncSeconds: o.syncSeconds };
}
