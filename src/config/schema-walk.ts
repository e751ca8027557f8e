// Reading the config schema as data: which keys exist, what a key expects, which keys are
// durations. The error wording (load.ts), the effective-settings printout (print.ts) and the
// test that compares the schema with the example file all walk the same tree.
import { z } from 'zod';

type Schema = z.core.$ZodType;
type Def = { type: string; innerType?: Schema; in?: Schema; shape?: Record<string, Schema>; element?: Schema; valueType?: Schema };

/** Durations are written "7d" and held as milliseconds; `duration()` in schema.ts registers them here. */
export const durationSchemas = z.registry<{ default: string }>();

const def = (s: Schema): Def => s._zod.def as unknown as Def;

/** Every layer of a key's schema, outermost first (default, optional, pipe... down to the type). */
function layers(s: Schema): Schema[] {
  const out: Schema[] = [s];
  for (let d = def(s); ; d = def(out[out.length - 1])) {
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) return out;
    out.push(inner);
  }
}

/** The type under the wrappers: object, array, record, string, number, enum, union... */
export function unwrap(s: Schema): Schema {
  const all = layers(s);
  return all[all.length - 1];
}

export function kindOf(s: Schema): string {
  return def(unwrap(s)).type;
}

export function isDuration(s: Schema): boolean {
  return layers(s).some((l) => durationSchemas.has(l));
}

/** What the key is, in words (`.describe()` on any layer), if the schema says. */
export function descriptionOf(s: Schema): string | undefined {
  for (const l of layers(s)) {
    const d = z.globalRegistry.get(l)?.description;
    if (d) return d;
  }
  return undefined;
}

/** The keys of an object schema (undefined when it is not one). */
export function shapeOf(s: Schema): Record<string, Schema> | undefined {
  const d = def(unwrap(s));
  return d.type === 'object' ? d.shape : undefined;
}

/** The schema one step down: an object's key, an array's element, a record's value. */
export function childOf(s: Schema, key: PropertyKey): Schema | undefined {
  const d = def(unwrap(s));
  if (d.type === 'object') return Object.hasOwn(d.shape!, String(key)) ? d.shape![String(key)] : undefined;
  if (d.type === 'array') return d.element;
  if (d.type === 'record') return d.valueType;
  return undefined;
}

export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = root;
  for (const k of path) {
    if (!s) return undefined;
    s = childOf(s, k);
  }
  return s;
}

/**
 * Every key the schema accepts, as "mm1.identity.headers" and "bearer.modems[].port" (a list of
 * sections: its items' keys). A record (a free map such as staticMap) is one key.
 */
export function keyPaths(root: Schema, prefix = ''): string[] {
  const shape = shapeOf(root);
  if (!shape) return [];
  const out: string[] = [];
  for (const [k, s] of Object.entries(shape)) {
    const key = prefix ? `${prefix}.${k}` : k;
    out.push(key);
    if (kindOf(s) === 'object') out.push(...keyPaths(s, key));
    else if (kindOf(s) === 'array') out.push(...keyPaths(childOf(s, 0)!, `${key}[]`));
  }
  return out;
}

/** A key path as the operator reads it: bearer.modems[0].port, mm1.identity.staticMap["10.0.0.23"]. */
export function keyName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(k))) out += out ? `.${String(k)}` : String(k);
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out;
}
