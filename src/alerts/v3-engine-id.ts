// The authoritative engine id an SNMPv3 message names (msgAuthoritativeEngineID, RFC 3414 2.4),
// read from the raw datagram: net-snmp does not hand it over. The USM digest covers it, so once
// net-snmp has authenticated the message with keys localized to it, it is the sender's own.
//   SEQUENCE { INTEGER 3, SEQUENCE msgGlobalData, OCTET STRING { SEQUENCE { OCTET STRING engineID, ... } }, ... }

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** The message's version field: 0 (v1), 1 (v2c), 3 (v3); undefined when it cannot be read. */
export function snmpVersionOf(buffer: Buffer): number | undefined {
  try {
    const version = tlv(buffer, tlv(buffer, 0, SEQUENCE).start, INTEGER);
    return version.end - version.start === 1 ? buffer[version.start] : undefined;
  } catch {
    return undefined;
  }
}

/** Lowercase hex, or undefined for a message that is not SNMPv3 or cannot be read. */
export function v3EngineId(buffer: Buffer): string | undefined {
  return v3Engine(buffer)?.engineId;
}

/** The USM header's engine id (hex), boots and time; undefined when not SNMPv3 or unreadable. */
export function v3Engine(buffer: Buffer): { engineId: string; boots: number; time: number } | undefined {
  try {
    const message = tlv(buffer, 0, SEQUENCE);
    const version = tlv(buffer, message.start, INTEGER);
    if (version.end - version.start !== 1 || buffer[version.start] !== 3) return undefined;
    const globalData = tlv(buffer, version.end, SEQUENCE);
    const securityParameters = tlv(buffer, globalData.end, OCTET_STRING);
    const usm = tlv(buffer, securityParameters.start, SEQUENCE);
    const engineId = tlv(buffer, usm.start, OCTET_STRING);
    const boots = tlv(buffer, engineId.end, INTEGER);
    const time = tlv(buffer, boots.end, INTEGER);
    return { engineId: buffer.subarray(engineId.start, engineId.end).toString('hex'), boots: unsigned(buffer, boots), time: unsigned(buffer, time) };
  } catch {
    return undefined;
  }
}

/** A non-negative INTEGER (0..2^31-1, as engine boots and time are). */
function unsigned(buffer: Buffer, t: Tlv): number {
  if (t.end - t.start < 1 || t.end - t.start > 5) throw new Error('bad integer');
  let v = 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + buffer[i]!;
  return v;
}

/** The TLV at `at`, which must have tag `tag`; throws when it does not fit the buffer. */
function tlv(buffer: Buffer, at: number, tag: number): Tlv {
  if (buffer[at] !== tag) throw new Error('unexpected tag');
  let length = buffer[at + 1];
  let start = at + 2;
  if (length === undefined) throw new Error('truncated');
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 3) throw new Error('unsupported length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = (length << 8) | (buffer[start + i] ?? Number.NaN);
    start += bytes;
  }
  const end = start + length;
  if (!Number.isFinite(end) || end > buffer.length) throw new Error('truncated');
  return { tag, start, end };
}
