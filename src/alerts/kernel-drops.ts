// Datagrams the kernel dropped for one UDP socket because its receive buffer was full: the
// `drops` column of /proc/net/udp (udp6) for the socket bound to that port. Linux only; elsewhere
// (or when the file cannot be read) undefined, and nothing is counted.
import { readFileSync } from 'node:fs';

export function udpSocketDrops(port: number, family: 'udp4' | 'udp6'): number | undefined {
  let text: string;
  try {
    text = readFileSync(family === 'udp6' ? '/proc/net/udp6' : '/proc/net/udp', 'latin1');
  } catch {
    return undefined;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${hexPort}`)) return Number(fields.at(-1));
  }
  return undefined;
}
