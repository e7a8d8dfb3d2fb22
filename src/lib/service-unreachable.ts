/** A service the process needs is down: start-up ends with one line saying which and what to do. */
export class ServiceUnreachableError extends Error {
  override readonly name = 'ServiceUnreachableError';
  constructor(
    readonly service: string,
    readonly address: string,
    readonly howToStart: string,
    cause?: unknown,
    /** 'refused': the service answered and turned the connection down (too many clients, a wrong password). */
    readonly how: 'unreachable' | 'refused' = 'unreachable',
  ) {
    const what = how === 'refused' ? `${service} at ${address} refused the connection` : `${service} is not reachable at ${address}`;
    super(`${what}${cause instanceof Error ? ` (${cause.message})` : ''}: ${howToStart}.`);
  }
}
