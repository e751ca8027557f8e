// Loads and validates the YAML config. Every error names the file, the line and the key, and
// says what was expected in the project's words (the one place where the YAML parser's and
// zod's messages are translated); one mistake gives one error, at the line to fix.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';
import { childOf, descriptionOf, keyName, keyPaths, kindOf, schemaAt, shapeOf } from './schema-walk.js';

export interface ConfigProblem {
  /** The key as the operator reads it (bearer.modems[0].port); '' for the file as a whole. */
  key: string;
  line?: number;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`invalid configuration in ${file}:\n${problems.map((p) => `  ${formatProblem(file, p)}`).join('\n')}`);
  }
}

/** "FILE:LINE: KEY: MESSAGE", the shape editors and grep understand. */
export function formatProblem(file: string, p: ConfigProblem): string {
  return `${file}${p.line ? `:${p.line}` : ''}: ${p.key ? `${p.key}: ` : ''}${p.message}`;
}

/** A valid config, and where each key is in its file (for warnings about values that parse). */
export interface LoadedConfig {
  config: Config;
  file: string;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

const EXAMPLE = 'firmware-config/mmsc.example.yaml';

/** Parses config text (the file name is used in errors). */
export function parseConfig(text: string, file: string): Config {
  return parseConfigText(text, file).config;
}

export function parseConfigText(text: string, file: string): LoadedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  // The first syntax error is the mistake; the parser's later ones are its consequences.
  if (doc.errors.length) throw new ConfigError(file, [yamlProblem(doc.errors[0], text)]);
  const raw = (doc.toJS() as unknown) ?? {};
  const lineOf = (path: readonly PropertyKey[]) => lineIn(doc.contents, path, lines);
  const result = ConfigSchema.safeParse(dropEmpty(raw, ConfigSchema), { reportInput: true });
  if (result.success) return { config: result.data, file, lineOf };
  const problems = result.error.issues.flatMap((i) => issueProblems(i, raw, lineOf));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throw new ConfigError(file, problems.filter((p, n) => problems.findIndex((q) => q.key === p.key && q.message === p.message) === n));
}

export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ key: '', message: `cannot read the file: ${(e as Error).message}` }]);
  }
  return parseConfigText(text, file);
}

export function loadConfig(file?: string): Config {
  return file ? loadConfigFile(file).config : ConfigSchema.parse({});
}

// ------------------------------------------------------------------------------------ YAML

const INDENT_HINT = 'keys of one section start in the same column';

function yamlProblem(e: YAMLError, text: string): ConfigProblem {
  let line = e.linePos?.[0]?.line;
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  let message: string;
  switch (e.code) {
    case 'TAB_AS_INDENT':
      message = 'a tab in the indentation: YAML indents with spaces only';
      break;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      if (/sequence/i.test(first)) {
        message = `indentation: a list item ("- ") less indented than the list it belongs to (${INDENT_HINT})`;
        break;
      }
      // "port: 8081\n   host: x" reads as one key spread over two lines: the second line is the mistake.
      if (line !== undefined) line = nextContentLine(text, line);
      message = `indentation: this line starts further right than the key above it, so YAML reads both as one; start it in the column of the key above (${INDENT_HINT})`;
      break;
    case 'BAD_INDENT':
      message = /flow (sequence|mapping|collection)/i.test(first)
        ? 'a [list] or {map} above is not closed: end it with ] or } before this line'
        : `indentation: this line does not line up with the keys above it (${INDENT_HINT})`;
      break;
    case 'MISSING_CHAR':
      message = /sequence item/i.test(first)
        ? 'indentation: this line is neither a key of the list item above (start it in the column of that item\'s first key) nor a new item (start it with "- ")'
        : /map values/i.test(first)
          ? 'a key without a value: write "key: value" (a colon and a space)'
          : `YAML: ${first}`;
      break;
    case 'DUPLICATE_KEY':
      message = 'this key is set twice in its section: keep one';
      break;
    default:
      message = `YAML: ${first}`;
  }
  return { key: '', ...(line !== undefined ? { line } : {}), message };
}

/** The first line after `line` (1-based) with something on it other than a comment. */
function nextContentLine(text: string, line: number): number {
  const all = text.split('\n');
  for (let n = line; n < all.length; n++) if (all[n].trim() && !all[n].trim().startsWith('#')) return n + 1;
  return line;
}

/**
 * A key left empty (`countryCode:`) is the same as the key left out: its default, or unset.
 * Entries of free maps and lists keep their nulls (an empty MSISDN is an error, not a default).
 */
function dropEmpty(v: unknown, s: z.core.$ZodType | undefined): unknown {
  if (!s || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => dropEmpty(x, kindOf(s) === 'array' ? childOf(s, 0) : undefined));
  const shape = shapeOf(s);
  if (!shape) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null && Object.hasOwn(shape, k)) continue;
    out[k] = dropEmpty(x, shape[k]);
  }
  return out;
}

// ------------------------------------------------------------------------------ the schema

type Issue = z.core.$ZodIssue;
type LineOf = (path: readonly PropertyKey[]) => number | undefined;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a section (its keys indented below it)',
  array: 'a list, such as [a, b]',
  record: 'a map, such as { key: value }',
};

function shown(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a section';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

const zodEnglish = z.locales.en();

/** What zod would have said: a message that differs was written in schema.ts and is kept. */
function isLibraryWording(i: Issue): boolean {
  const d = zodEnglish.localeError(i as never);
  return (typeof d === 'string' ? d : d?.message) === i.message;
}

function withFound(message: string, i: Issue): string {
  const input = (i as { input?: unknown }).input;
  if (input === undefined || (typeof input === 'object' && input !== null)) return message;
  return /\bfound\b/.test(message) ? message : `${message}, found ${shown(input)}`;
}

/** The project's wording for one zod issue. */
function wording(i: Issue): string {
  const input = (i as { input?: unknown }).input;
  const schema = schemaAt(ConfigSchema, i.path);
  if (!isLibraryWording(i)) return withFound(i.message, i);
  switch (i.code) {
    case 'invalid_type': {
      if (input === undefined) return `missing: ${descriptionOf(schema ?? ConfigSchema) ?? 'a value'}`;
      if (input === null) return `empty: expected ${TYPE_WORDS[i.expected] ?? i.expected}`;
      if (i.path.length === 0) return `expected sections such as mm1: and relay: at the top of the file, found ${shown(input)}`;
      const want = TYPE_WORDS[i.expected] ?? i.expected;
      if (i.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) return `expected text, found ${shown(input)}: write it in quotes ("${String(input)}")`;
      return `expected ${want}, found ${shown(input)}`;
    }
    case 'too_small':
    case 'too_big': {
      const small = i.code === 'too_small';
      const n = Number(small ? i.minimum : i.maximum);
      const bound = i.inclusive ? (small ? 'at least' : 'at most') : small ? 'more than' : 'less than';
      if (i.origin === 'string' && small && n === 1) return 'empty: expected some text';
      const unit = i.origin === 'string' ? ` character${n === 1 ? '' : 's'}` : i.origin === 'array' ? ` entr${n === 1 ? 'y' : 'ies'}` : '';
      return withFound(`expected ${bound} ${n}${unit}`, i);
    }
    case 'invalid_value': {
      // mmsVersion: 1.2 is a number to YAML; the choice is the text "1.2"
      if (typeof input !== 'string' && i.values.includes(String(input))) return `expected text, found ${shown(input)}: write it in quotes ("${String(input)}")`;
      return withFound(`expected one of ${i.values.map((v) => (typeof v === 'string' && /^[\d.]+$/.test(v) ? `"${v}"` : String(v))).join(', ')}`, i);
    }
    case 'invalid_format': {
      const f = i as Issue & { format: string; prefix?: string; suffix?: string; pattern?: string };
      const what =
        f.format === 'starts_with' ? `text starting with "${f.prefix}"`
          : f.format === 'ends_with' ? `text ending with "${f.suffix}"`
            : f.format === 'url' ? 'a URL such as http://10.0.0.1:8080'
              : f.format === 'regex' ? `text of the form ${f.pattern}`
                : `a valid ${f.format}`;
      return withFound(`expected ${what}`, i);
    }
    case 'invalid_union':
      return withFound(`expected ${[...new Set(i.errors.flatMap((e) => e.map((x) => (x.code === 'invalid_type' ? (TYPE_WORDS[x.expected] ?? x.expected) : null)).filter((x) => x !== null)))].join(' or ') || 'another value'}`, i);
    case 'not_multiple_of':
      return withFound(`expected a multiple of ${String(i.divisor)}`, i);
    default:
      return withFound(i.message.replace(/^Invalid input:?\s*/i, ''), i);
  }
}

function issueProblems(i: Issue, raw: unknown, lineOf: LineOf): ConfigProblem[] {
  if (i.code === 'unrecognized_keys') return unknownKeys(i.path, i.keys, raw, lineOf);
  const lineAt = (i as { params?: { lineAt?: PropertyKey[] } }).params?.lineAt;
  const line = valueAt(raw, i.path) === undefined && lineAt ? lineOf(lineAt) : lineOf(i.path);
  return [{ key: keyName(i.path), ...(line !== undefined ? { line } : {}), message: wording(i) }];
}

/**
 * Unknown keys, explained: most are an indentation mistake (keys that belong to the empty
 * section just above them, or to a section further out), and one mistake is one problem.
 */
function unknownKeys(path: PropertyKey[], keys: string[], raw: unknown, lineOf: LineOf): ConfigProblem[] {
  const here = valueAt(raw, path) as Record<string, unknown>;
  const at = (k: PropertyKey) => lineOf([...path, k]) ?? 0;
  const keysOf = (p: readonly PropertyKey[]) => shapeOf(schemaAt(ConfigSchema, p) ?? z.never()) ?? {};
  const groups = new Map<string, { keys: string[]; explain: (names: string, them: string, verb: string) => string }>();
  const add = (id: string, k: string, explain: (names: string, them: string, verb: string) => string) => {
    const g = groups.get(id) ?? { keys: [], explain };
    g.keys.push(k);
    groups.set(id, g);
  };
  for (const k of [...keys].sort((a, b) => at(a) - at(b))) {
    // An empty section above it that has this key: it was meant to be indented under it.
    const owner = Object.keys(here)
      .filter((s) => here[s] === null && at(s) < at(k) && Object.hasOwn(keysOf([...path, s]), k))
      .sort((a, b) => at(b) - at(a))[0];
    if (owner !== undefined) {
      add(`under:${owner}`, k, (names, them, verb) => `${names} ${verb} under ${owner}: (line ${at(owner)}), which has nothing under it: indent ${them} further than ${owner}:`);
      continue;
    }
    // A key of a section further out: indented too far.
    const depth = [...path.keys()].reverse().find((d) => Object.hasOwn(keysOf(path.slice(0, d)), k));
    if (depth !== undefined) {
      const outer = depth ? keyName(path.slice(0, depth)) : 'the top level';
      const align = String(path[depth]);
      add(`out:${depth}`, k, (names, them, verb) => `${names} ${verb} to ${outer}, not to ${keyName(path)}: start ${them} in the column of ${align}: (line ${lineOf(path.slice(0, depth + 1))})`);
      continue;
    }
    add(`key:${k}`, k, () => unknownKeyMessage(k, path));
  }
  return [...groups.values()].map((g) => {
    const line = lineOf([...path, g.keys[0]]);
    const many = g.keys.length > 1;
    const names = many ? `${g.keys.slice(0, -1).join(', ')} and ${g.keys[g.keys.length - 1]}` : g.keys[0];
    return { key: keyName([...path, g.keys[0]]), ...(line !== undefined ? { line } : {}), message: g.explain(names, many ? 'them' : 'it', many ? 'belong' : 'belongs') };
  });
}

function unknownKeyMessage(k: string, path: PropertyKey[]): string {
  const section = path.length ? `in ${keyName(path)}` : 'at the top level';
  const elsewhere = keyPaths(ConfigSchema).filter((p) => p === k || p.endsWith(`.${k}`));
  if (elsewhere.length) return `unknown key ${section}; ${elsewhere.join(', ')} ${elsewhere.length > 1 ? 'are' : 'is'} where ${k} goes`;
  const near = Object.keys(shapeOf(schemaAt(ConfigSchema, path) ?? z.never()) ?? {}).filter((c) => editDistance(c.toLowerCase(), k.toLowerCase()) <= 2);
  return `unknown key${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; every key is listed in ${EXAMPLE}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** The line of a key path in the YAML document, walking as deep as the path exists. */
function lineIn(root: Node | null, path: readonly PropertyKey[], lines: LineCounter): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const k of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === String(k));
      if (!pair) break;
      const at = (pair.key as Node | null)?.range?.[0];
      if (at !== undefined) line = lines.linePos(at).line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(k)] as Node | undefined;
      if (!item) break;
      if (item.range) line = lines.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  return line;
}
