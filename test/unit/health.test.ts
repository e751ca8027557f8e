// The box's conditions: one log line per change of level, a gauge per condition, and the
// snapshot `mmsc doctor` reads from the store of a running server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/cli/doctor.js';
import { Health } from '../../src/health.js';
import { startTestMmsc } from '../support/mmsc.js';

describe('health conditions', () => {
  it('logs a change of level once, and the recovery', async () => {
    const lines: string[] = [];
    const h = new Health(pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }));
    h.set('store', 'ok', 'accepting messages');
    h.set('store', 'ok', 'accepting messages');
    h.set('store', 'degraded', 'disk full: new messages refused');
    h.set('store', 'degraded', 'disk full: new messages refused (3 MiB free)');
    h.set('store', 'ok', 'accepting messages again');
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; condition: string });
    expect(logged.map((l) => [l.level, l.msg])).toEqual([
      [30, 'store: accepting messages'],
      [40, 'store: disk full: new messages refused'],
      [30, 'store: accepting messages again'],
    ]);
    expect(h.get('store')?.detail).toBe('accepting messages again');
    const metrics = await h.registry.metrics();
    expect(metrics).toMatch(/mmsc_health\{condition="store"\} 0/);
    h.set('clock', 'failed', 'no time source');
    expect(h.worst()).toBe('failed');
    expect(await h.registry.metrics()).toMatch(/mmsc_health\{condition="clock"\} 2/);
  });

  it('`mmsc doctor` reads the conditions the running server recorded', async () => {
    const t = await startTestMmsc();
    try {
      t.mmsc.health.set('clock', 'degraded', 'clock not trusted: no NTP and no network time yet');
      const file = join(t.dir, 'mmsc.yaml');
      writeFileSync(file, `store:\n  path: ${join(t.dir, 'store')}\n`);
      let findings = await diagnose(file);
      // the server records its own clock condition at start; wait for the one set here
      for (let i = 0; i < 50 && !findings?.some((f) => f.check === 'clock' && f.detail.startsWith('clock not trusted: no NTP')); i++) {
        await new Promise((r) => setTimeout(r, 20));
        findings = await diagnose(file);
      }
      expect(findings).toContainEqual({ check: 'config', level: 'ok', detail: `${file} is valid` });
      expect(findings?.find((f) => f.check === 'server')).toMatchObject({ level: 'ok' });
      expect(findings?.find((f) => f.check === 'clock')).toMatchObject({ level: 'degraded', detail: expect.stringMatching(/^clock not trusted/) });
    } finally {
      await t.close();
    }
  });

  it('`mmsc doctor` says so when there is no store', async () => {
    const findings = await diagnose(undefined);
    // the built-in default ./data may or may not exist in the test's working directory
    expect(findings?.[0]).toEqual({ check: 'config', level: 'ok', detail: 'built-in defaults' });
  });
});
