import { ConfigError, loadConfig } from '../config/load.js';

export function checkConfig(file: string): number {
  try {
    const cfg = loadConfig(file);
    process.stdout.write(`${file}: OK\n${JSON.stringify(cfg, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
