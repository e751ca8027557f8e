// The example configuration (firmware-config/mmsc.example.yaml) is the reference an operator
// copies: it lists every key the schema accepts and no other, its values are the defaults (the
// exceptions named here), and what its header and the systemd unit say about it is true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { loadConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { childOf, keyPaths, kindOf } from '../../src/config/schema-walk.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'firmware-config/mmsc.example.yaml');
const text = readFileSync(EXAMPLE, 'utf8');

/** The keys written in a YAML value, named like keyPaths() names the schema's ("bearer.modems[].port"). */
function yamlKeys(v: unknown, s: z.core.$ZodType | undefined, prefix = ''): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const key = prefix ? `${prefix}.${k}` : k;
    out.push(key);
    const sub = s && childOf(s, k);
    if (!sub) continue; // unknown to the schema: listed, not entered
    if (kindOf(sub) === 'object') out.push(...yamlKeys(x, sub, key));
    else if (kindOf(sub) === 'array' && kindOf(childOf(sub, 0)!) === 'object' && Array.isArray(x)) {
      for (const item of x) out.push(...yamlKeys(item, childOf(sub, 0), `${key}[]`));
    }
  }
  return [...new Set(out)];
}

describe('the example configuration', () => {
  it('lists every key the schema accepts, and only those', () => {
    const schemaKeys = keyPaths(ConfigSchema).sort();
    const exampleKeys = yamlKeys(parse(text), ConfigSchema).sort();
    expect(schemaKeys.length).toBeGreaterThan(80);
    expect(schemaKeys.filter((k) => !exampleKeys.includes(k)), 'keys the schema accepts that the example does not list').toEqual([]);
    expect(exampleKeys.filter((k) => !schemaKeys.includes(k)), 'keys in the example the schema does not accept').toEqual([]);
  });

  it('has the defaults as its values, but for the store path (the systemd state folder) and the modem template', () => {
    const example = loadConfig(EXAMPLE);
    const defaults = loadConfig();
    expect(example.store.path).toBe('/var/lib/mmsc');
    expect(example.bearer.kind).toBe('simulator'); // the modem template is not used
    expect(example.bearer.modems).toHaveLength(1);
    expect({ ...example, store: { ...example.store, path: defaults.store.path }, bearer: { ...example.bearer, modems: [] } }).toEqual(defaults);
  });

  it('is what its header says', () => {
    const header = text.slice(0, text.indexOf('\nmmsc:'));
    const c = loadConfig(EXAMPLE);
    const mm1 = /MM1 on ([\d.]+):(\d+)/.exec(header);
    expect(mm1, 'the header names where MM1 listens').not.toBeNull();
    expect([mm1![1], Number(mm1![2])]).toEqual([c.mm1.host, c.mm1.port]);
    expect(header).toContain(`the store in ${c.store.path}`);
    expect(header).toContain(`the built-in default, ${loadConfig().store.path}`);
    expect(header).toMatch(/runs a box on the simulated radio network/);
    expect(c.bearer.kind).toBe('simulator');
    expect(header).toContain('mmsc config check /etc/mmsc/mmsc.yaml');
  });

  it('fits the systemd unit: checked before each start, its store path writable', () => {
    const unit = readFileSync(join(ROOT, 'systemd/mmsc.service'), 'utf8');
    const c = loadConfig(EXAMPLE);
    expect(unit).toMatch(/^ExecStartPre=\/opt\/mmsc\/bin\/mmsc\.js config check \/etc\/mmsc\/mmsc\.yaml$/m);
    expect(unit).toMatch(/^ExecStart=\/opt\/mmsc\/bin\/mmsc\.js serve --config \/etc\/mmsc\/mmsc\.yaml$/m);
    expect(unit).toMatch(new RegExp(`^ReadWritePaths=${c.store.path}$`, 'm'));
    expect(unit).toMatch(new RegExp(`^StateDirectory=${c.store.path.replace('/var/lib/', '')}$`, 'm'));
    // serve's exit status for a configuration it refuses is not restarted (see test/integration/config-cli.test.ts)
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });
});
