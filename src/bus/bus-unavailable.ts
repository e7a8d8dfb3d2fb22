// The bus did not answer: a request to NATS timed out, had no responder (JetStream's leader being
// elected, JetStream turned off on the node), or the connection is closed or draining. Like a
// database that does not answer, an operation that meets one is told to try again
// (UNAVAILABLE), not that something broke (INTERNAL_SERVER_ERROR).
import { ClosedConnectionError, DrainingConnectionError, NoRespondersError, TimeoutError } from '@nats-io/transport-node';
import { JetStreamApiError } from '@nats-io/jetstream';

/** JetStream's own "try again": 503, or a stream/cluster without a quorum or leader for now. */
const JETSTREAM_UNAVAILABLE = /unavailable|no suitable peers|insufficient resources|not enabled|leader/i;

export function isBusUnavailable(err: unknown, depth = 0): boolean {
  // A request's failure carries the reason as its cause (RequestError ← NoRespondersError).
  if (err instanceof Error && err.cause !== undefined && depth < 5 && isBusUnavailable(err.cause, depth + 1)) return true;
  if (err instanceof TimeoutError || err instanceof NoRespondersError) return true;
  if (err instanceof ClosedConnectionError || err instanceof DrainingConnectionError) return true;
  if (err instanceof JetStreamApiError) return err.status === 503 || JETSTREAM_UNAVAILABLE.test(err.message);
  return false;
}
