// Opening the port a modem answers AT on. The real one goes through the `serialport` package
// (USB serial, a pty); tests and the in-process simulator hand in their own opener. Port
// quirks (baud rate, flow control) are set here, when the port opens.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ModemError } from './errors.js';

/** An open port: the byte stream and a way to close it. */
export interface ModemPort {
  readonly path: string;
  readonly stream: Duplex;
  close(): Promise<void>;
  /**
   * Whether the device is still there. A tty whose device node vanished does not always say
   * so on its own (no read was pending); the driver asks when a command times out.
   */
  exists?(): boolean;
}

/** Opens the port at `path`; fails with ModemError PORT_OPEN_FAILED (reason 'not-found', 'busy'...). */
export type PortOpener = (path: string) => Promise<ModemPort>;

export interface SerialPortOptions {
  /** Ignored by USB modems and ptys, needed by UART ones (SIM800 on a Pi's serial header). Default 115200. */
  baudRate?: number;
  /** RTS/CTS hardware flow control. Default false. */
  rtscts?: boolean;
}

const OPEN_FAILURES: Record<string, string> = {
  'not-found': 'no such device',
  busy: 'in use by another program (is a daemon or ModemManager holding it?)',
  'permission-denied': 'permission denied (add the user to the dialout group)',
};

function openFailure(path: string, err: unknown): ModemError {
  const msg = ((err as Error)?.message ?? String(err)).replace(/^Error:\s*/, '');
  const reason = /no such file|ENOENT/i.test(msg) && !/lock/i.test(msg)
    ? 'not-found'
    : /lock|busy|EBUSY|EAGAIN|temporarily unavailable/i.test(msg)
      ? 'busy'
      : /permission|EACCES/i.test(msg)
        ? 'permission-denied'
        : 'open-failed';
  return new ModemError('PORT_OPEN_FAILED', `cannot open ${path}: ${OPEN_FAILURES[reason] ?? msg}`, { reason, scope: 'modem', cause: err });
}

/** Opens ports with the real `serialport` package (loaded on first use). */
export function serialPortOpener(opts: SerialPortOptions = {}): PortOpener {
  return async (path: string) => {
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path, baudRate: opts.baudRate ?? 115200, rtscts: opts.rtscts ?? false, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(openFailure(path, err)) : resolve())));
    return {
      path,
      stream: port,
      exists: () => existsSync(path),
      close: () =>
        new Promise<void>((resolve) => {
          if (!port.isOpen) {
            resolve();
            return;
          }
          port.close(() => resolve());
        }),
    };
  };
}

/**
 * Where to look for a modem whose port vanished (USB re-enumeration renames ttyUSB2 to
 * ttyUSB5): the other entries of the same folder whose name has the same stem, digits removed
 * ("/dev/ttyUSB2" -> /dev/ttyUSB*). The modem is then recognised by its IMEI.
 */
export function siblingPorts(path: string): string[] {
  const dir = dirname(path);
  const stem = basename(path).replace(/\d+$/, '');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out = names.filter((n) => n.startsWith(stem) && /^\d*$/.test(n.slice(stem.length))).map((n) => join(dir, n));
  out.sort((a, b) => (a === path ? -1 : b === path ? 1 : a.localeCompare(b, 'en', { numeric: true })));
  return out;
}
