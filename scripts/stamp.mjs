// Build stamps: what a build was made from (a content hash per input file), so the next build
// can tell "nothing changed" without starting the compiler. Content, not mtimes: a checkout or
// a touch that leaves a file as it was costs nothing, and a file put back with an old mtime
// (tar, cp -p) is still seen as changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir` (relative to `root`) whose name passes `keep`, sorted. */
export function listFiles(root, dir, keep = () => true) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && keep(e.name)) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** { path: sha1 } of the files (a missing one hashes as "missing"). */
export function hashFiles(root, files) {
  const out = {};
  for (const f of files) {
    const p = join(root, f);
    out[f] = existsSync(p) ? createHash('sha1').update(readFileSync(p)).digest('hex') : 'missing';
  }
  return out;
}

/** "<input> changed" for each input that differs from the stamp at `file` (all when there is none). */
export function changedSince(file, hashes) {
  let old;
  try {
    old = JSON.parse(readFileSync(file, 'utf8')).inputs ?? {};
  } catch {
    return Object.keys(hashes).map((k) => `${k} changed`);
  }
  const changed = Object.keys(hashes).filter((k) => old[k] !== hashes[k]).map((k) => `${k} changed`);
  for (const k of Object.keys(old)) if (!(k in hashes)) changed.push(`${k} removed`);
  return changed;
}

export function writeStamp(file, hashes) {
  writeFileSync(file, `${JSON.stringify({ inputs: hashes }, null, 1)}\n`);
}

/** Marks a stamp found up to date as checked now (bin/mmsc.js compares sources' mtimes with it). */
export function touchStamp(file) {
  const now = new Date();
  if (existsSync(file)) utimesSync(file, now, now);
}

export function dropStamp(file) {
  rmSync(file, { force: true });
}

/** "assembly/sms/decode.ts changed" or "assembly/sms/decode.ts changed, and 3 more". */
export function describeChanges(changed) {
  return changed.length === 1 ? changed[0] : `${changed[0]}, and ${changed.length - 1} more`;
}
