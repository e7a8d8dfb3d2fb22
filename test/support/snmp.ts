// Net-SNMP's own command-line tools (Debian's snmp package) as an array would send traps, with
// no MIBs and a private persistent directory, and a free UDP port for a receiver.
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FAKE_RAISED = '1.3.6.1.4.1.32473.1.0.1';
export const FAKE_CLEARED = '1.3.6.1.4.1.32473.1.0.2';
/** One OCTET STRING varbind of the simulator's traps, as snmptrap takes it. */
export const fakeVarbind = (n: number, value: string) => [`1.3.6.1.4.1.32473.1.1.${n}`, 's', value];

/** A UDP port nothing listens on now. */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface SnmpTools {
  /** Runs snmptrap or snmpinform with these arguments (no retries, 2 s timeout). */
  send(tool: 'snmptrap' | 'snmpinform', args: string[]): Promise<void>;
  cleanup(): void;
}

export function snmpTools(): SnmpTools {
  const home = mkdtempSync(join(tmpdir(), 'delfin-snmp-'));
  const env = { ...process.env, HOME: home, SNMP_PERSISTENT_DIR: home, MIBS: '', MIBDIRS: home, SNMPCONFPATH: home };
  return {
    async send(tool, args) {
      await run(`/usr/bin/${tool}`, ['-Ln', '-r', '0', '-t', '2', ...args], { env, timeout: 15_000 });
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
