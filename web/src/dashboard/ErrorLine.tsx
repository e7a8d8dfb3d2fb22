// An error as the API gave it: its sentence, then its extensions.code.
import type { ShownError } from './api';

export function ErrorLine({ error }: { error: ShownError | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message} <code>{error.code}</code>
    </p>
  );
}
