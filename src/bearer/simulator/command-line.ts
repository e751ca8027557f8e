// Splits an AT command line (V.250 syntax) into its commands: "ATE0V1+CMEE=1;+CMGF=0" is E0, V1,
// +CMEE=1, +CMGF=0. Extended commands end at ';' outside quotes; basic ones are one letter (or
// '&' and a letter) with an optional number.

export interface ParsedCommand {
  /** Upper case: "E", "&F", "I", "+CMGS", "^CURC", "!ICCID". */
  name: string;
  type: 'exec' | 'read' | 'test' | 'set';
  /** Parameters of a set command, as written (quotes kept). */
  args: string[];
  /** The command as written, for logs. */
  text: string;
}

const EXT = '+^!$*#%';

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const c of s) {
    if (c === '"') q = !q;
    if (c === ',' && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** The commands of one line (without "AT"), or null when the line does not parse. */
export function parseCommandLine(line: string): ParsedCommand[] | null {
  const s = line.trim();
  if (!/^AT/i.test(s)) return null;
  const body = s.slice(2);
  const out: ParsedCommand[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === ';' || c === ' ') {
      i++;
      continue;
    }
    if (EXT.includes(c)) {
      let j = i + 1;
      while (j < body.length && /[A-Za-z0-9_]/.test(body[j])) j++;
      const name = body.slice(i, j).toUpperCase();
      if (name.length < 2) return null;
      // the rest up to an unquoted ';'
      let k = j;
      let q = false;
      while (k < body.length && (q || body[k] !== ';')) {
        if (body[k] === '"') q = !q;
        k++;
      }
      const rest = body.slice(j, k).trim();
      const text = body.slice(i, k);
      if (rest === '') out.push({ name, type: 'exec', args: [], text });
      else if (rest === '?') out.push({ name, type: 'read', args: [], text });
      else if (rest === '=?') out.push({ name, type: 'test', args: [], text });
      else if (rest.startsWith('=')) out.push({ name, type: 'set', args: splitArgs(rest.slice(1)), text });
      else out.push({ name, type: 'exec', args: [rest], text });
      i = k;
      continue;
    }
    if (/[A-Za-z&]/.test(c)) {
      let j = i + 1;
      let name = c.toUpperCase();
      if (c === '&') {
        if (j >= body.length || !/[A-Za-z]/.test(body[j])) return null;
        name += body[j].toUpperCase();
        j++;
      }
      if (name === 'S') {
        // S-registers: S3=13, S0?
        const m = /^(\d+)(\?|=\d*)?/.exec(body.slice(j));
        if (!m) return null;
        out.push({ name: `S${m[1]}`, type: m[2] === '?' ? 'read' : 'set', args: m[2]?.startsWith('=') ? [m[2].slice(1)] : [], text: `S${m[0]}` });
        i = j + m[0].length;
        continue;
      }
      const m = /^\d*/.exec(body.slice(j)) as RegExpExecArray;
      out.push({ name, type: m[0] === '' ? 'exec' : 'set', args: m[0] === '' ? [] : [m[0]], text: body.slice(i, j + m[0].length) });
      i = j + m[0].length;
      continue;
    }
    return null;
  }
  return out;
}

/** A parameter without quotes. */
export function arg(a: string | undefined): string {
  if (a === undefined) return '';
  const v = a.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** An integer parameter, or null when absent or not a number. */
export function intArg(a: string | undefined): number | null {
  const v = arg(a);
  return /^\d{1,9}$/.test(v) ? Number(v) : null;
}
