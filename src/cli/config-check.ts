import { configOrReport } from './load-config.js';

/** `mmsc config check FILE`: 0 and the effective settings, or 1 and what is wrong. */
export function checkConfig(file: string): number {
  const cfg = configOrReport(file);
  if (!cfg) return 1;
  process.stdout.write(`${file}: OK\n${JSON.stringify(cfg, null, 2)}\n`);
  return 0;
}
