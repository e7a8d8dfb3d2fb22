/** A value for a one-line message: quoted, control characters escaped, cut after `max` characters. */
export function quoteShort(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
