// Web origins as browsers send them in `Origin`: the allowed-origins setting (src/config.ts) and
// the WebSocket check (src/api/websocket/allowed-origins.ts) compare them in this form.

/** `scheme://host[:port]` as browsers send it in `Origin` (lower case, default port left out). */
export function normalizeOrigin(text: string): string | undefined {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
