// The MongoDB-wire stand-in (CongoDB) for one test file: started as its own process before the
// file's systems, stopped by pid after them.
import { startStandIn, type StandIn } from '../../src/scheduler/stand-in.js';

export type { StandIn };

export function mongoStandIn(): Promise<StandIn> {
  return startStandIn('delfin_test');
}

/** A stand-in on a given port: MongoDB back where it was (empty: the stand-in keeps nothing). */
export function mongoStandInAt(port: number): Promise<StandIn> {
  return startStandIn('delfin_test', port);
}
