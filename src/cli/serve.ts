// `mmsc serve`: runs the MMSC until SIGTERM/SIGINT, then stops gracefully (stop accepting,
// answer what is in flight, let pushes settle, close LMDB).
import { startMmsc } from '../app.js';
import { configOrReport } from './load-config.js';
import { createLogger } from '../log.js';

export async function serve(opts: { config?: string }): Promise<number> {
  const config = configOrReport(opts.config);
  if (!config) return 2;
  const log = createLogger(config.log.level);
  const mmsc = await startMmsc(config, { log });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await mmsc.close();
  // Everything is answered and LMDB is closed; do not wait for idle client sockets.
  process.exit(0);
}
