/** A failure of the device or of the driver talking to it: shown to users as DRIVER_ERROR. */
export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(message: string, readonly phase?: string) {
    super(message);
  }
}
