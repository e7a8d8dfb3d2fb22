// Operations of Delfin's document for what this server does not hold (file systems, qtrees,
// quotas, shares, host mapping): 501 with a body saying so, never an empty list that pretends.
import { RestError } from '../errors.js';
import type { RestAnswer, RestRequest } from '../route.js';

export function notHeld(message: string): (req: RestRequest) => Promise<RestAnswer> {
  return () => Promise.reject(new RestError(501, 'NotImplemented', message));
}

/** The answer to an operation of the document without a route here. */
export const NOT_HELD_MESSAGE = (what: string) =>
  `${what} is not implemented by this server: it holds storages, pools, volumes, disks, controllers, ports and alerts, not file systems, qtrees, quotas, shares or host mappings.`;
