// The effective settings as YAML, in the file's own notation: durations as 7d and 30s (not
// milliseconds), every key present (unset ones empty), secrets masked (the output of the
// systemd unit's `config check` goes to the journal).
import { stringify } from 'yaml';
import type { z } from 'zod';
import { formatDuration } from './duration.js';
import { ConfigSchema, type Config } from './schema.js';
import { childOf, isDuration, kindOf, shapeOf } from './schema-walk.js';

const SECRETS = new Set(['pin', 'password']);

function present(v: unknown, s: z.core.$ZodType | undefined, key = ''): unknown {
  if (!s) return v;
  if (SECRETS.has(key) && typeof v === 'string' && v !== '') return '(set, not shown)';
  if (typeof v === 'number' && isDuration(s)) return formatDuration(v);
  if (Array.isArray(v)) return v.map((x) => present(x, kindOf(s) === 'array' ? childOf(s, 0) : undefined));
  const shape = shapeOf(s);
  if (!shape || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(shape)) out[k] = present((v as Record<string, unknown>)[k], sub, k) ?? null;
  return out;
}

export function formatEffectiveConfig(config: Config): string {
  return stringify(present(config, ConfigSchema), { lineWidth: 0, nullStr: '' });
}
