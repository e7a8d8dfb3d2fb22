/** A failure of the device or of the driver talking to it: shown to users as DRIVER_ERROR. */
export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(message: string, readonly phase?: string) {
    super(message);
  }
}

/**
 * The array could not be reached: no connection (refused, no route, name not resolved), or the
 * connection dropped or stayed silent past the driver's own request timeout. A task that meets
 * it ends FAILED and the storage shows OFFLINE until a sync reaches the array again. Not for an
 * array that answers with a refusal (credentials, certificate) or an error: those are plain
 * DriverErrors and leave the storage's status as the array last reported it.
 */
export class UnreachableError extends DriverError {}

/**
 * The access info does not fit the device (e.g. extraAttributes names a resource it does not
 * have): the user must change their input, so the API answers BAD_USER_INPUT naming `field`.
 */
export class DriverInputError extends DriverError {
  constructor(message: string, readonly field: string) {
    super(message, 'validate');
  }
}
