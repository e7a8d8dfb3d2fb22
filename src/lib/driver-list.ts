/** DELFIN_DRIVERS: package names separated by commas (or spaces). */
export function parseDriverList(text: string | undefined): string[] {
  return (text ?? '').split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
}
