// `mmsc decode --extract DIR`: the parts of an MMS written as files. The names come from the
// message (Content-Location, the name parameters), i.e. from whoever sent it: only their last
// path segment is kept, cleaned of anything a shell or file system reads specially, and a file
// is never overwritten nor followed through a symlink (O_EXCL).
import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { partContent, type MmsPart, type MmsPdu } from '../codec/mms/index.js';
import { partName } from './pdu-summary.js';

const EXTENSIONS: Record<string, string> = {
  'text/plain': '.txt', 'application/smil': '.smil', 'image/jpeg': '.jpg', 'image/png': '.png', 'image/gif': '.gif',
  'image/bmp': '.bmp', 'image/webp': '.webp', 'audio/amr': '.amr', 'audio/mpeg': '.mp3', 'audio/mp4': '.m4a',
  'video/3gpp': '.3gp', 'video/mp4': '.mp4', 'text/x-vcard': '.vcf', 'text/vcard': '.vcf', 'text/x-vcalendar': '.vcs',
};

/**
 * A file name from a name the message gave (`../../etc/passwd` -> `passwd`), or null when
 * nothing usable is left. Only the last segment of either separator counts; control characters
 * and leading dots (hidden files, "..") go; the length is capped.
 */
export function safeFileName(name: string | undefined): string | null {
  if (!name) return null;
  const last = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\x00-\x1f\x7f]/g, '').replace(/^[.\s]+/, '').replace(/\s+$/, '').slice(0, 120);
  return clean === '' ? null : clean;
}

/** The leaf parts of a body, nested multiparts flattened, in order. */
function leaves(parts: MmsPart[]): MmsPart[] {
  return parts.flatMap((p) => (p.parts ? leaves(p.parts) : p.data !== undefined ? [p] : []));
}

export interface Extracted {
  file: string;
  type: string;
  bytes: number;
}

/** Writes each part of `pdu` into `dir` (created if missing); what was written, in part order. */
export function extractParts(pdu: MmsPdu, dir: string): Extracted[] {
  const m = pdu.bodyPdu ?? pdu; // an m-mbox-upload-req carries the message whose parts these are
  const parts = m.parts ? leaves(m.parts) : m.body ? [{ contentType: m.contentType ?? { type: 'application/octet-stream' }, data: m.body }] : [];
  if (parts.length === 0) throw new Error(`this ${pdu.messageType} has no parts to extract`);
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const out: Extracted[] = [];
  parts.forEach((p, i) => {
    const type = p.contentType.type.toLowerCase();
    const base = safeFileName(partName(p)) ?? `part-${i + 1}${EXTENSIONS[type] ?? '.bin'}`;
    const data = partContent(p);
    for (let n = 1; ; n++) {
      const ext = extname(base);
      const name = n === 1 ? base : `${base.slice(0, base.length - ext.length)}-${n}${ext}`;
      const file = join(root, name);
      try {
        writeFileSync(file, data, { flag: 'wx' }); // O_CREAT | O_EXCL: no overwrite, no symlink
        out.push({ file, type, bytes: data.length });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 999) throw e;
      }
    }
  });
  return out;
}
