/** A service the process needs is down: start-up ends with one line saying which and what to do. */
export class ServiceUnreachableError extends Error {
  override readonly name = 'ServiceUnreachableError';
  constructor(
    readonly service: string,
    readonly address: string,
    readonly howToStart: string,
    cause?: unknown,
  ) {
    super(
      `${service} is not reachable at ${address}${cause instanceof Error ? ` (${cause.message})` : ''}: ${howToStart}.`,
    );
  }
}
