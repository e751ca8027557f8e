// One pino logger for the process. Where it writes decides the form: JSON lines when stdout is
// not a terminal (journald, log shippers, a pipe), one readable line per entry with a local
// time when someone watches a terminal (npm start, mmsc serve by hand).
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

export interface LoggerOptions {
  /** Readable lines instead of JSON; default: whether stdout is a terminal. */
  pretty?: boolean;
}

export function createLogger(level: string, name = 'mmsc', opts: LoggerOptions = {}): Logger {
  const options = { name, level, base: { pid: process.pid } };
  return opts.pretty ?? process.stdout.isTTY === true ? pino(options, prettyStream()) : pino(options);
}

/** pino-pretty, loaded only for a terminal (the service under journald never pays for it). */
function prettyStream(): DestinationStream {
  const require = createRequire(import.meta.url);
  const pretty = require('pino-pretty') as (o: PrettyOptions) => DestinationStream;
  return pretty({
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
    // written at once: `mmsc serve` exits right after its last line
    sync: true,
  });
}
