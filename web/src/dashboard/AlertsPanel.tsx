// Open alerts of every storage, live, coloured by severity, each with a Clear button (a native
// button: reached with Tab, pressed with Enter or Space; its label names the alert).
import { useState } from 'react';
import type { AlertFieldsFragment } from './api';
import { ErrorLine } from './ErrorLine';
import { formatTime } from './format';
import { severityName } from './severity';
import type { OpenAlerts } from './useAlerts';

function AlertRow({ alert: a, onClear }: { alert: AlertFieldsFragment; onClear(): Promise<void> }) {
  const [clearing, setClearing] = useState(false);
  const severity = severityName(a.severity);
  return (
    <li className={`alert severity-${severity}`} data-alert-id={a.id} data-sequence-number={a.sequenceNumber} data-severity={a.severity}>
      <div className="alert-head">
        <span className="severity">{severity}</span>
        <strong>{a.alertName}</strong> on {a.storage.name}
        <span className="muted">{formatTime(a.occurredAt)}</span>
        <button
          type="button"
          className="clear"
          disabled={clearing}
          aria-label={`Clear alert ${a.alertName} on ${a.storage.name} (${a.sequenceNumber})`}
          onClick={() => {
            setClearing(true);
            void onClear().finally(() => setClearing(false));
          }}
        >
          Clear
        </button>
      </div>
      <div className="alert-detail">
        {a.description}
        {a.location ? ` · ${a.location}` : ''}
        {a.recoveryAdvice ? ` · ${a.recoveryAdvice}` : ''}
      </div>
    </li>
  );
}

export function AlertsPanel({ open: { alerts, error, clear } }: { open: OpenAlerts }) {
  return (
    <section className="panel alerts" aria-label="Open alerts">
      <h2>
        Open alerts <span className="muted">(<span data-testid="alerts-count">{alerts.length}</span>)</span>
      </h2>
      <ErrorLine error={error} />
      {alerts.length === 0 ? (
        <p className="muted">No open alert.</p>
      ) : (
        <ul className="alert-list" aria-live="polite">
          {alerts.map((a) => (
            <AlertRow key={a.id} alert={a} onClear={() => clear(a.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}
