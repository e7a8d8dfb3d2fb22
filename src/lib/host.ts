// What a storage's address may be: an IPv4 or IPv6 address (IPv6 also in brackets), or a host
// name of dot-separated labels (letters, digits, "-" inside, "_" as some arrays use it).
import { isIP } from 'node:net';

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

export function isHost(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const bracketed = /^\[(.+)\]$/.exec(text);
  if (bracketed) return isIP(bracketed[1]!) === 6;
  if (isIP(text) !== 0) return true;
  // All digits and dots but not an IPv4 address (999.1.1.1): a typo, not a name.
  if (/^[\d.]+$/.test(text)) return false;
  return text.replace(/\.$/, '').split('.').every((label) => LABEL.test(label));
}
