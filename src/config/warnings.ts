// What parses but will not work as the operator expects: said by `mmsc config check` (with the
// line) and logged by `mmsc serve` at start. Warnings, not errors: a USB modem may be plugged in
// after the service started.
import { existsSync } from 'node:fs';
import type { Config } from './schema.js';

export interface ConfigWarning {
  path: (string | number)[];
  message: string;
}

export function configWarnings(config: Config): ConfigWarning[] {
  if (config.bearer.kind !== 'modem') return [];
  return config.bearer.modems.flatMap((m, i) =>
    existsSync(m.port)
      ? []
      : [{
          path: ['bearer', 'modems', i, 'port'],
          message: `${m.port} does not exist (the modem is not plugged in, or its port has another name: see ls /dev/serial/by-id/); the server starts without it, shows it as "missing" in \`mmsc modems\` and takes it into the pool when the port appears`,
        }],
  );
}
