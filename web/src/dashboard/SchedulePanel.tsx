// The storage's periodic sync (setSyncSchedule): every N seconds or a cron expression, or off.
import { useEffect, useState, type FormEvent } from 'react';
import { describeError, SetSyncScheduleDocument, StorageSyncScheduleDocument, type DelfinClient, type ShownError, type SyncScheduleFieldsFragment, type SyncScheduleInput } from './api';
import { ErrorLine } from './ErrorLine';
import { formatTime } from './format';

function describe(s: SyncScheduleFieldsFragment | null | undefined): string {
  if (!s) return 'No periodic sync.';
  const every = s.cron ? `cron "${s.cron}"` : `every ${s.intervalSeconds} s`;
  if (!s.enabled) return `Disabled (was ${every}).`;
  return `Enabled: ${every}; next run ${formatTime(s.nextRunAt)}, last run ${formatTime(s.lastRunAt)}.`;
}

export function SchedulePanel({ client, storageId }: { client: DelfinClient; storageId: string }) {
  const [schedule, setSchedule] = useState<SyncScheduleFieldsFragment | null>();
  const [mode, setMode] = useState<'interval' | 'cron'>('interval');
  const [value, setValue] = useState('3600');
  const [error, setError] = useState<ShownError>();

  useEffect(() => {
    setError(undefined);
    client.request(StorageSyncScheduleDocument, { id: storageId }).then(
      ({ storage }) => {
        const s = storage?.syncSchedule ?? null;
        setSchedule(s);
        if (s?.cron) (setMode('cron'), setValue(s.cron));
        else if (s?.intervalSeconds) (setMode('interval'), setValue(String(s.intervalSeconds)));
      },
      (err: unknown) => setError(describeError(err)),
    );
  }, [client, storageId]);

  async function save(input: SyncScheduleInput) {
    setError(undefined);
    try {
      const { setSyncSchedule } = await client.request(SetSyncScheduleDocument, { storageId, schedule: input });
      setSchedule(setSyncSchedule);
    } catch (err) {
      setError(describeError(err));
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === 'cron') return void save({ enabled: true, cron: value.trim() });
    const seconds = Number(value);
    if (!Number.isInteger(seconds)) return setError({ message: 'The interval must be a whole number of seconds.', code: 'BAD_USER_INPUT' });
    void save({ enabled: true, intervalSeconds: seconds });
  }

  return (
    <form className="panel schedule" onSubmit={submit} aria-label="Sync schedule">
      <h3>Sync schedule</h3>
      <p data-testid="schedule-state">{schedule === undefined ? '…' : describe(schedule)}</p>
      <div className="row">
        <select value={mode} onChange={(e) => setMode(e.target.value as 'interval' | 'cron')} aria-label="schedule kind">
          <option value="interval">every N seconds</option>
          <option value="cron">cron expression</option>
        </select>
        <input value={value} onChange={(e) => setValue(e.target.value)} aria-label={mode === 'cron' ? 'cron expression' : 'interval in seconds'} placeholder={mode === 'cron' ? '0 */6 * * *' : '3600'} />
        <button type="submit">Save</button>
        <button type="button" onClick={() => void save({ enabled: false })} disabled={!schedule?.enabled}>
          Disable
        </button>
      </div>
      <ErrorLine error={error} />
    </form>
  );
}
