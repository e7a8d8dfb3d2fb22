// The REST access's TLS options, shared by `storage register` and `driver check`: a CA (PEM
// file read here, on the operator's machine), a pinned fingerprint, or no verification (labs).
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';

export interface TlsOpts {
  caCertificate?: string;
  certificateFingerprint?: string;
  verifyTls?: boolean;
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read the PEM file ${file}: ${(err as Error).message}`);
  }
}

export function addTlsOptions(cmd: Command): Command {
  return cmd
    .option('--ca-certificate <file>', 'PEM file: the REST certificate must chain to it (instead of the system CAs)', readPem)
    .option('--certificate-fingerprint <sha256>', "pin the array's own REST certificate by its SHA-256")
    .option('--no-verify-tls', 'accept any REST certificate (labs only)');
}

/** The REST access's TLS settings, as registerStorage takes them (`verifyTls` defaults to true). */
export function tlsOf(opts: TlsOpts) {
  return {
    ...(opts.caCertificate ? { caCertificate: opts.caCertificate } : {}),
    ...(opts.certificateFingerprint ? { certificateFingerprint: opts.certificateFingerprint } : {}),
    verifyTls: opts.verifyTls !== false,
  };
}
