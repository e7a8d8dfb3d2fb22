import { DriverError, DriverInputError } from '../../drivers/driver-error.js';
import { AppError, badInput } from '../../errors.js';

/**
 * A device that cannot be reached or answers wrongly: DRIVER_ERROR with the driver's reason.
 * Access info that does not fit the device (the driver says which field): BAD_USER_INPUT.
 */
export function driverFailure(err: unknown): AppError {
  if (err instanceof DriverInputError) return badInput(err.message, err.field);
  const reason = err instanceof Error ? err.message : String(err);
  const phase = err instanceof DriverError && err.phase ? ` (while reading ${err.phase})` : '';
  return new AppError('DRIVER_ERROR', `The storage did not answer through its driver${phase}: ${reason}`);
}
