// A small filesystem of its own for a test: a tmpfs mounted in a mount namespace that only a
// holder process lives in (`unshare --user --map-root-user --mount`, which also works without
// root; `unshare --mount` as root where user namespaces are off). Nothing is mounted on the
// machine: the test and the MMSC reach the tmpfs through /proc/<holder>/root, and it goes
// away with the holder (which ends when this process's end of its stdin closes).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, writeSync, rmSync, statfsSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** The tmpfs, as this process and its children see it. */
  path: string;
  /** Writes a file of zeros until the filesystem is full (ENOSPC); returns the bytes written. */
  fill(name?: string): number;
  /** Removes a file written by fill(). */
  free(name?: string): void;
  /** Bytes free on it. */
  freeBytes(): number;
  close(): void;
}

function holder(flags: string[], dir: string, sizeMiB: number): Promise<ChildProcess | null> {
  const proc = spawn('unshare', [...flags, 'sh', '-c', `mount -t tmpfs -o size=${sizeMiB}m mmsc-test "$0" && echo mounted && exec cat >/dev/null`, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('mounted')) resolve(proc);
    });
    proc.once('exit', () => resolve(null));
    proc.once('error', () => resolve(null));
  });
}

export async function smallDisk(sizeMiB: number): Promise<SmallDisk> {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-disk-'));
  const proc = (await holder(['--user', '--map-root-user', '--mount'], dir, sizeMiB)) ?? (await holder(['--mount'], dir, sizeMiB));
  if (!proc) throw new Error('cannot mount a tmpfs in a mount namespace here (unshare --user --mount and unshare --mount both failed)');
  const path = `/proc/${proc.pid}/root${dir}`;
  const fill = (name = 'filler'): number => {
    const fd = openSync(join(path, name), 'a');
    const chunk = Buffer.alloc(256 * 1024);
    let written = 0;
    try {
      for (;;) written += writeSync(fd, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    }
    // the last pages: smaller writes until nothing fits
    for (let size = 128 * 1024; size >= 512; size /= 2) {
      try {
        for (;;) written += writeSync(fd, chunk, 0, size);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
    closeSync(fd);
    return written;
  };
  return {
    path,
    fill,
    free: (name = 'filler') => unlinkSync(join(path, name)),
    freeBytes: () => {
      const s = statfsSync(path);
      return s.bavail * s.bsize;
    },
    close: () => {
      proc.stdin!.end();
      proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
