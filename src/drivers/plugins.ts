// Drivers written outside this repository: npm packages named by DELFIN_DRIVERS or the policy
// file's drivers.packages, loaded at start by every role. A package that does not load, does
// not export descriptors, or names a vendor/model already taken stops start-up with one line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DriverDescriptor } from './driver.js';
import { descriptorProblem } from './descriptor-shape.js';
import { DriverPluginError } from './plugin-error.js';
import { isPathSpec, resolvePlugin } from './plugin-resolve.js';
import { DriverRegistry } from './registry.js';
import { BUILTIN_DRIVERS } from './builtin.js';

/** A descriptor and where it came from, for messages that name the culprit. */
interface Loaded {
  descriptor: DriverDescriptor;
  source: string;
}

/** The descriptors a package exports: its default export, or a `drivers` export; one or a list. */
function exportedDescriptors(spec: string, mod: Record<string, unknown>): DriverDescriptor[] {
  const exported = mod.default ?? mod.drivers;
  if (exported === undefined) {
    throw new DriverPluginError(`driver package "${spec}" has no default export and no "drivers" export; export a driver descriptor ({ vendor, model, create }) or a list of them`);
  }
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw new DriverPluginError(`driver package "${spec}" exports an empty list of drivers`);
  for (const [i, item] of list.entries()) {
    const problem = descriptorProblem(item);
    if (problem) {
      const which = Array.isArray(exported) ? ` (item ${i})` : '';
      throw new DriverPluginError(`driver package "${spec}" does not export a driver descriptor${which}: ${problem}`);
    }
  }
  return list as DriverDescriptor[];
}

async function importPlugin(spec: string, cwd: string): Promise<Record<string, unknown>> {
  const target = resolvePlugin(spec, cwd);
  const notFound = () =>
    new DriverPluginError(
      isPathSpec(spec)
        ? `driver package "${spec}" was not found: no such file or folder from ${cwd}; correct DELFIN_DRIVERS / drivers.packages`
        : `driver package "${spec}" was not found (looked in the node_modules of ${cwd} and its parents, NODE_PATH and next to delfin-ts); install it (npm install ${spec}) or correct DELFIN_DRIVERS / drivers.packages`,
    );
  if (isPathSpec(spec) && !existsSync(fileURLToPath(target))) throw notFound();
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // Not found here means the package itself; a package found but missing a dependency of its own "failed to load".
    if (target === spec && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(`'${spec}'`)) throw notFound();
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DriverPluginError(`driver package "${spec}" failed to load: ${reason}`);
  }
}

/**
 * The registry every role uses: the built-in drivers, then each package's, in the order named.
 * Throws DriverPluginError (one line) for the first package that cannot be used.
 */
export async function loadDriverRegistry(packages: readonly string[], cwd = process.cwd()): Promise<DriverRegistry> {
  const registry = new DriverRegistry();
  const seen: Loaded[] = [];
  const add = (descriptor: DriverDescriptor, source: string) => {
    const taken = seen.find((l) => l.descriptor.vendor === descriptor.vendor && l.descriptor.model === descriptor.model);
    if (taken) {
      throw new DriverPluginError(
        `${source} provides vendor "${descriptor.vendor}" model "${descriptor.model}", already provided by ${taken.source}; a vendor/model pair can have one driver only`,
      );
    }
    registry.register(descriptor);
    seen.push({ descriptor, source });
  };
  for (const d of BUILTIN_DRIVERS) {
    registry.register(d);
    seen.push({ descriptor: d, source: "delfin-ts's built-in drivers" });
  }
  for (const spec of packages) {
    for (const d of exportedDescriptors(spec, await importPlugin(spec, cwd))) add(d, `driver package "${spec}"`);
  }
  return registry;
}
