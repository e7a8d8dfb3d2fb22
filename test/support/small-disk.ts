// A small disk of the caller's own: a tmpfs of a fixed size mounted on a temporary directory
// (root only), that a test fills to the last byte to play a full disk and empties again.
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  path: string;
  /** Writes a filler file until the disk refuses a byte more (ENOSPC). */
  fill(): void;
  /** Removes the filler: the space is back. */
  free(): void;
  /** Unmounts the disk and removes its directory. */
  destroy(): Promise<void>;
}

/** Mounts a tmpfs of `megabytes`; rejects (say, not root) with the reason, the directory removed. */
export async function mountSmallDisk(megabytes: number, label = 'disk'): Promise<SmallDisk> {
  const path = mkdtempSync(join(tmpdir(), `delfin-${label}-`));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', path]);
  } catch (err) {
    rmSync(path, { recursive: true, force: true });
    throw new Error(`cannot mount a ${megabytes} MiB tmpfs: ${(err as Error).message.split('\n')[0]}`);
  }
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(1 << 20);
      try {
        for (;;) {
          const { bavail, bsize } = statfsSync(path);
          const room = Number(bavail) * Number(bsize);
          if (room === 0) return;
          writeSync(fd, chunk, 0, Math.min(chunk.length, room));
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    async destroy() {
      await run('umount', ['-l', path]).catch(() => undefined);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
