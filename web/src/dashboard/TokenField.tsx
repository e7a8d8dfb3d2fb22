// The bearer token the dashboard sends (HTTP `Authorization` header, and `authorization` in
// the WebSocket's connection_init). Kept for this browser tab only (sessionStorage).
import { useState, type FormEvent } from 'react';

export function TokenField({ token, onChange }: { token: string; onChange(token: string): void }) {
  const [value, setValue] = useState(token);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange(value.trim());
  };
  return (
    <form className="token" onSubmit={submit}>
      <input type="password" value={value} onChange={(e) => setValue(e.target.value)} placeholder="API token (if the API asks for one)" aria-label="API token" autoComplete="off" />
      <button type="submit">{value.trim() !== token ? 'Use token' : token ? 'Token set' : 'No token'}</button>
    </form>
  );
}
