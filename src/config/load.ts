// Loads and validates the YAML config. Every error names the file, the key (with its line)
// and what was expected, so an operator can fix it without reading code.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: { key: string; line?: number; message: string }[],
  ) {
    super(
      `invalid configuration in ${file}:\n` +
        problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.key || '(top level)'}: ${p.message}`).join('\n'),
    );
  }
}

/** Parses config text (file name is used in errors). */
export function parseConfig(text: string, file: string): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ key: '', line: e.linePos?.[0]?.line, message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
  const raw = (doc.toJS() as unknown) ?? {};
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(file, result.error.issues.map((i) => describe(i, doc.contents, lines)));
}

export function loadConfig(file?: string): Config {
  if (!file) return ConfigSchema.parse({});
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ key: '', message: `cannot read the file: ${(e as Error).message}` }]);
  }
  return parseConfig(text, file);
}

function describe(issue: z.core.$ZodIssue, root: Node | null, lines: LineCounter) {
  const path = issue.path.map(String);
  let key = path.join('.');
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    key = [...path, keys[0]].join('.');
    message = `unknown key${keys.length > 1 ? `s ${keys.join(', ')}` : ''} (check the spelling; see firmware-config/mmsc.example.yaml)`;
    path.push(keys[0]);
  }
  return { key, line: lineOf(root, path, lines), message };
}

/** Finds the line of a key path in the YAML document, walking as deep as the path exists. */
function lineOf(root: Node | null, path: string[], lines: LineCounter): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const k of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === k);
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
