import { DriverError } from '../../drivers/driver-error.js';
import { AppError } from '../../errors.js';

/** A device that cannot be reached or answers wrongly: DRIVER_ERROR with the driver's reason. */
export function driverFailure(err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  const phase = err instanceof DriverError && err.phase ? ` (while reading ${err.phase})` : '';
  return new AppError('DRIVER_ERROR', `The storage did not answer through its driver${phase}: ${reason}`);
}
