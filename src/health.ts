// The box's own conditions (the store can take new messages, the clock can be trusted, ...):
// what an operator must see without reading logs line by line. Each condition changes level
// with exactly one log line, is a gauge in the process's metrics registry, and is handed to
// listeners (the app writes the snapshot into the store's `meta` for `mmsc doctor`, best
// effort: a full disk is itself a condition and must not stop the others from showing).
import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';

/** ok: normal; degraded: working with a limitation; failed: this part does not work. */
export type HealthLevel = 'ok' | 'degraded' | 'failed';

export interface Condition {
  name: string;
  level: HealthLevel;
  /** One sentence for the operator: what is wrong and, when known, what fixes it. */
  detail: string;
  /** Wall-clock ms when the level last changed. */
  since: number;
}

/** The record `mmsc doctor` reads (meta key `health`). */
export interface HealthSnapshot {
  pid: number;
  writtenAt: number;
  conditions: Condition[];
}

export const HEALTH_META_KEY = 'health';

const LEVEL_VALUE: Record<HealthLevel, number> = { ok: 0, degraded: 1, failed: 2 };

export class Health {
  private readonly conditions = new Map<string, Condition>();
  private readonly listeners: ((c: Condition, all: Condition[]) => void)[] = [];
  private readonly gauge: Gauge<'condition'>;

  constructor(
    private readonly log: Logger,
    readonly registry: Registry = new Registry(),
    private readonly now: () => number = Date.now,
  ) {
    this.gauge = new Gauge({
      name: 'mmsc_health',
      help: 'Condition of a part of the box: 0 ok, 1 degraded, 2 failed',
      labelNames: ['condition'],
      registers: [registry],
    });
  }

  /**
   * Sets a condition. A change of level is logged once (warn/error when it worsens, info when
   * it recovers); the same level with a new detail only updates what doctor shows.
   */
  set(name: string, level: HealthLevel, detail: string): void {
    const prev = this.conditions.get(name);
    if (prev && prev.level === level && prev.detail === detail) return;
    const c: Condition = { name, level, detail, since: prev && prev.level === level ? prev.since : this.now() };
    this.conditions.set(name, c);
    this.gauge.set({ condition: name }, LEVEL_VALUE[level]);
    if (!prev || prev.level !== level) {
      const fields = { condition: name, state: level, was: prev?.level ?? null };
      if (level === 'ok') this.log.info(fields, `${name}: ${detail}`);
      else if (level === 'degraded') this.log.warn(fields, `${name}: ${detail}`);
      else this.log.error(fields, `${name}: ${detail}`);
    }
    const all = this.all();
    for (const fn of this.listeners) fn(c, all);
  }

  get(name: string): Condition | undefined {
    return this.conditions.get(name);
  }

  all(): Condition[] {
    return [...this.conditions.values()];
  }

  /** The worst level of all conditions. */
  worst(): HealthLevel {
    let w: HealthLevel = 'ok';
    for (const c of this.conditions.values()) if (LEVEL_VALUE[c.level] > LEVEL_VALUE[w]) w = c.level;
    return w;
  }

  onChange(fn: (c: Condition, all: Condition[]) => void): void {
    this.listeners.push(fn);
  }

  snapshot(): HealthSnapshot {
    return { pid: process.pid, writtenAt: this.now(), conditions: this.all() };
  }
}
