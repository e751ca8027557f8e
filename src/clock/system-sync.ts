// Is the system clock synchronised (NTP, chrony, systemd-timesyncd)? Asked of the tools that
// know, without a native dependency: timedatectl reads the kernel's own flag (adjtimex
// STA_UNSYNC, whichever daemon disciplines the clock), systemd-timesyncd leaves a file once it
// synchronised, chronyc reports its leap status. None of them answering means "cannot tell".
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemSync {
  /** true: synchronised; false: not; null: cannot tell. */
  synchronised: boolean | null;
  /** How it was found out, in words (for the health detail). */
  how: string;
}

/** Asks whether the system clock is synchronised; injectable for tests. */
export type SystemSyncProbe = () => Promise<SystemSync>;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 3_000, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

const TIMESYNCD_FLAG = '/run/systemd/timesync/synchronized';

export const probeSystemSync: SystemSyncProbe = async () => {
  const tried: string[] = [];
  try {
    const v = (await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'])).trim();
    if (v === 'yes') return { synchronised: true, how: 'timedatectl: NTPSynchronized=yes' };
    if (v === 'no') {
      // timesyncd may have synchronised while the kernel flag was reset by a manual date change
      if (existsSync(TIMESYNCD_FLAG)) return { synchronised: true, how: `${TIMESYNCD_FLAG} exists` };
      return { synchronised: false, how: 'timedatectl: NTPSynchronized=no' };
    }
    tried.push(`timedatectl answered "${v}"`);
  } catch (err) {
    tried.push(`timedatectl: ${firstLine(err)}`);
  }
  if (existsSync(TIMESYNCD_FLAG)) return { synchronised: true, how: `${TIMESYNCD_FLAG} exists` };
  try {
    const out = await run('chronyc', ['-n', 'tracking']);
    const leap = /Leap status\s*:\s*(.+)/i.exec(out)?.[1]?.trim();
    if (leap) return { synchronised: !/not synchronised/i.test(leap), how: `chronyc tracking: leap status ${leap}` };
    tried.push('chronyc tracking named no leap status');
  } catch (err) {
    tried.push(`chronyc: ${firstLine(err)}`);
  }
  return { synchronised: null, how: tried.join('; ') };
};

function firstLine(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { stderr?: string };
  if (e.code === 'ENOENT') return 'not installed';
  return String(e.message ?? err).split('\n').find((l) => l.trim() && !/^Command failed/.test(l))?.trim() ?? 'failed';
}
