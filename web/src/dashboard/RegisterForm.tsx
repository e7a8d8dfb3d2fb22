// Registers an array: the simulator (fake_storage / fake_driver, its settings in
// extraAttributes) or a real one through its driver. The API checks the access info through
// the driver before it stores anything, and starts the first sync.
import { useEffect, useState, type FormEvent } from 'react';
import { describeError, DriversDocument, RegisterStorageDocument, type DelfinClient, type RegisterStorageInput, type ShownError, type StorageFieldsFragment } from './api';
import { ErrorLine } from './ErrorLine';

const SIMULATOR = { vendor: 'fake_storage', model: 'fake_driver' };
// The simulator's options (src/drivers/fake/fake-options.ts): pools, volumes, seed, pageSize,
// latencyMs, failAt, failAfterVolumes, hangAt, revision.
const SIMULATOR_EXTRA = '{"pools": 5, "volumes": 20000}';

interface Fields {
  vendor: string;
  model: string;
  name: string;
  host: string;
  port: string;
  username: string;
  password: string;
  extra: string;
}

const SIMULATED: Fields = { ...SIMULATOR, name: '', host: '192.0.2.10', port: '8443', username: 'admin', password: 'secret', extra: SIMULATOR_EXTRA };
const REAL: Fields = { vendor: '', model: '', name: '', host: '', port: '443', username: '', password: '', extra: '' };

/** The form as the mutation's input; a field the API cannot take is a sentence, not a request. */
function toInput(f: Fields): RegisterStorageInput | ShownError {
  const port = Number(f.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { message: 'The port must be a whole number from 1 to 65535.', code: 'BAD_USER_INPUT' };
  let extraAttributes: Record<string, unknown> | undefined;
  if (f.extra.trim()) {
    try {
      extraAttributes = JSON.parse(f.extra) as Record<string, unknown>;
    } catch (err) {
      return { message: `extraAttributes is not JSON: ${(err as Error).message}`, code: 'BAD_USER_INPUT' };
    }
    if (extraAttributes === null || typeof extraAttributes !== 'object' || Array.isArray(extraAttributes)) {
      return { message: 'extraAttributes must be a JSON object, e.g. {"volumes": 20000}.', code: 'BAD_USER_INPUT' };
    }
  }
  return {
    vendor: f.vendor.trim(),
    model: f.model.trim(),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    rest: { host: f.host.trim(), port, username: f.username, password: f.password },
    ...(extraAttributes ? { extraAttributes } : {}),
  };
}

interface Props {
  client: DelfinClient;
  onRegistered(storage: StorageFieldsFragment): void;
}

export function RegisterForm({ client, onRegistered }: Props) {
  const [kind, setKind] = useState<'simulated' | 'real'>('simulated');
  const [fields, setFields] = useState<Fields>(SIMULATED);
  const [drivers, setDrivers] = useState<Array<{ vendor: string; model: string }>>([]);
  const [error, setError] = useState<ShownError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.request(DriversDocument).then((d) => setDrivers(d.drivers), () => setDrivers([]));
  }, [client]);

  const set = (key: keyof Fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: e.target.value }));
  const choose = (k: 'simulated' | 'real') => {
    setKind(k);
    setFields(k === 'simulated' ? SIMULATED : REAL);
    setError(undefined);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = toInput(fields);
    if ('code' in input) return setError(input);
    setBusy(true);
    setError(undefined);
    try {
      const { registerStorage } = await client.request(RegisterStorageDocument, { input });
      onRegistered(registerStorage);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const simulated = kind === 'simulated';
  return (
    <form className="panel register" onSubmit={submit} aria-label="Register an array">
      <h2>Register an array</h2>
      <div className="choice" role="radiogroup">
        <label>
          <input type="radio" name="kind" checked={simulated} onChange={() => choose('simulated')} /> Simulated array
        </label>
        <label>
          <input type="radio" name="kind" checked={!simulated} onChange={() => choose('real')} /> Real array
        </label>
      </div>
      <div className="grid">
        <label>
          Vendor
          <input name="vendor" value={fields.vendor} onChange={set('vendor')} readOnly={simulated} required list="driver-vendors" />
        </label>
        <label>
          Model
          <input name="model" value={fields.model} onChange={set('model')} readOnly={simulated} required list="driver-models" />
        </label>
        <label>
          Name <span className="muted">(optional)</span>
          <input name="name" value={fields.name} onChange={set('name')} placeholder="the array's own name" />
        </label>
        <label>
          REST host
          <input name="host" value={fields.host} onChange={set('host')} required />
        </label>
        <label>
          REST port
          <input name="port" value={fields.port} onChange={set('port')} inputMode="numeric" required />
        </label>
        <label>
          Username
          <input name="username" value={fields.username} onChange={set('username')} required autoComplete="off" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={fields.password} onChange={set('password')} required autoComplete="new-password" />
        </label>
        <label className="wide">
          extraAttributes <span className="muted">(JSON; the simulator: pools, volumes, latencyMs, pageSize, seed, failAt…)</span>
          <textarea name="extraAttributes" value={fields.extra} onChange={set('extra')} rows={2} spellCheck={false} />
        </label>
      </div>
      <datalist id="driver-vendors">
        {[...new Set(drivers.map((d) => d.vendor))].map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <datalist id="driver-models">
        {drivers
          .filter((d) => !fields.vendor || d.vendor === fields.vendor)
          .map((d) => (
            <option key={`${d.vendor}/${d.model}`} value={d.model} />
          ))}
      </datalist>
      <ErrorLine error={error} />
      <button type="submit" disabled={busy}>
        {busy ? 'Checking the array…' : 'Register'}
      </button>
    </form>
  );
}
