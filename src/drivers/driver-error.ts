/** A failure of the device or of the driver talking to it: shown to users as DRIVER_ERROR. */
export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(message: string, readonly phase?: string) {
    super(message);
  }
}

/**
 * The access info does not fit the device (e.g. extraAttributes names a resource it does not
 * have): the user must change their input, so the API answers BAD_USER_INPUT naming `field`.
 */
export class DriverInputError extends DriverError {
  constructor(message: string, readonly field: string) {
    super(message, 'validate');
  }
}
