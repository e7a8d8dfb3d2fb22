// The dashboard: open alerts, storages and their live tasks, a registration form, the task
// history, and the selected storage's capacity, resources, schedule, metrics settings and chart.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AlertsPanel } from './AlertsPanel';
import { describeError, openClient, StoragesDocument, SyncStorageDocument, TasksDocument, type ShownError, type StorageFieldsFragment } from './api';
import { ErrorLine } from './ErrorLine';
import { RegisterForm } from './RegisterForm';
import { StorageDetail } from './StorageDetail';
import { StorageList } from './StorageList';
import { TaskHistory } from './TaskHistory';
import { TaskList } from './TaskList';
import { TokenField } from './TokenField';
import { useAlerts } from './useAlerts';
import { useTaskEvents } from './useTaskEvents';

const TOKEN_KEY = 'delfin.token';

export function App() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const client = useMemo(() => openClient(token), [token]);
  useEffect(() => () => void client.close(), [client]);

  const [storages, setStorages] = useState<StorageFieldsFragment[]>([]);
  const [selectedId, setSelectedId] = useState<string>();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<ShownError>();
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const live = useTaskEvents(client, refresh);
  const openAlerts = useAlerts(client);

  useEffect(() => {
    client.request(StoragesDocument, { first: 100 }).then(
      (d) => {
        setStorages(d.storages.edges.map((e) => e.node));
        setError(undefined);
      },
      (err: unknown) => setError(describeError(err)),
    );
  }, [client, version]);

  const names = useMemo(() => new Map(storages.map((s) => [s.id, s.name])), [storages]);
  const selected = storages.find((s) => s.id === selectedId);

  async function sync(id: string) {
    try {
      const { syncStorage } = await client.request(SyncStorageDocument, { id });
      live.watch(syncStorage.id);
      refresh();
    } catch (err) {
      setError(describeError(err));
    }
  }

  /** Registration queued the first sync: follow it. */
  async function registered(storage: StorageFieldsFragment) {
    setSelectedId(storage.id);
    refresh();
    try {
      const { tasks } = await client.request(TasksDocument, { storageId: storage.id, first: 1 });
      const first = tasks.edges[0]?.node;
      if (first) live.watch(first.id);
    } catch (err) {
      setError(describeError(err));
    }
  }

  function saveToken(value: string) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(value);
  }

  return (
    <>
      <header>
        <h1>delfin</h1>
        <nav>
          <a href="/graphql">GraphQL playground</a>
          <TokenField token={token} onChange={saveToken} />
        </nav>
      </header>
      <main>
        <ErrorLine error={error} />
        <AlertsPanel open={openAlerts} />
        <section className="panel">
          <h2>Storages</h2>
          <StorageList storages={storages} alerts={openAlerts.alerts} selectedId={selectedId} onSelect={setSelectedId} onSync={(id) => void sync(id)} />
        </section>
        <div className="columns">
          <RegisterForm client={client} onRegistered={(s) => void registered(s)} />
          <TaskList live={live} names={names} />
        </div>
        <TaskHistory client={client} version={version} live={live.events} names={names} />
        {selected && <StorageDetail client={client} storage={selected} version={version} />}
      </main>
    </>
  );
}
