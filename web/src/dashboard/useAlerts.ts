// Open alerts, live: read with `alerts(state: OPEN)` each time the `alertEvents` subscription
// (re)opens, then kept current by its events (a new OPEN alert is added, a CLEARED one leaves).
// A read and an event may cross: an alert cleared is remembered so a late read cannot bring it back.
// The server does not say when a subscription is live, so an alert raised between the read and
// that moment shows only at the next read (the subscription reopening, or the page reloaded).
import { useCallback, useEffect, useRef, useState } from 'react';
import { AlertEventsDocument, AlertsDocument, ClearAlertDocument, describeError, type AlertFieldsFragment, type DelfinClient, type ShownError } from './api';
import { followSubscription } from './followSubscription';

/** The open alerts read at once; more are counted, not listed. */
const READ = 200;

export interface OpenAlerts {
  /** Newest first. */
  alerts: AlertFieldsFragment[];
  error: ShownError | undefined;
  clear(id: string): Promise<void>;
}

export function useAlerts(client: DelfinClient): OpenAlerts {
  const [byId, setById] = useState<ReadonlyMap<string, AlertFieldsFragment>>(new Map());
  const [error, setError] = useState<ShownError>();
  const cleared = useRef(new Set<string>());

  const apply = useCallback((alert: AlertFieldsFragment) => {
    if (alert.state === 'CLEARED') cleared.current.add(alert.id);
    setById((prev) => {
      const next = new Map(prev);
      if (alert.state === 'OPEN' && !cleared.current.has(alert.id)) next.set(alert.id, alert);
      else next.delete(alert.id);
      return next;
    });
  }, []);

  const read = useCallback(() => {
    client.request(AlertsDocument, { state: ['OPEN'], first: READ }).then(
      (d) => setById(new Map(d.alerts.edges.map((e) => e.node).filter((a) => !cleared.current.has(a.id)).map((a) => [a.id, a]))),
      (err: unknown) => setError(describeError(err)),
    );
  }, [client]);

  useEffect(
    () =>
      followSubscription({
        open: () => client.subscribe(AlertEventsDocument, {}),
        onStart: read,
        onEvent: ({ alertEvents }) => apply(alertEvents),
        onError: setError,
      }),
    [client, read, apply],
  );

  const clear = useCallback(
    async (id: string) => {
      try {
        const { clearAlert } = await client.request(ClearAlertDocument, { id });
        apply(clearAlert);
        setError(undefined);
      } catch (err) {
        setError(describeError(err));
      }
    },
    [client, apply],
  );

  const alerts = [...byId.values()].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return { alerts, error, clear };
}
