// Small things every report command prints the same way.

/** An instant as ISO 8601 UTC to the second ("2026-12-07T22:20:32Z"). */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Whether the process that wrote a record (the server, by its pid) still runs. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
