// One pino logger for the process (JSON lines on stdout: journald and log shippers read them).
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name = 'mmsc'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
