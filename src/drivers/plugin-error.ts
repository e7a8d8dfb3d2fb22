/** A driver package named in the configuration that cannot be used: start-up stops with this line. */
export class DriverPluginError extends Error {
  override readonly name = 'DriverPluginError';
}
