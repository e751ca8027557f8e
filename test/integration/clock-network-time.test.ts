// The network's time through the real modem driver, over socat ptys and the serialport
// package: the simulated network sends its time (NITZ) at registration, the driver switches
// +CTZU/+CTZR on, reads AT+CCLK? and the NITZ codes (+CTZE; Huawei ^NWTIME; SIMCom *PSUTTZ),
// and the MMSC - whose "system" clock is injected a day behind and not NTP-synchronised - takes
// its time from it: an offset kept by the process, the schedule moved with the step, the Health
// condition `clock` (logs, `mmsc doctor`) saying so. SMSC time stamps move a clock that is
// behind forward, without trusting it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMmsc, type Mmsc } from '../../src/app.js';
import type { NetworkTimeReading } from '../../src/bearer/modem/types.js';
import { SimulatorBearer } from '../../src/bearer/pool/from-config.js';
import { diagnose } from '../../src/cli/doctor.js';
import { ProcessClock } from '../../src/clock/clock.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { freePort, Phone } from '../support/mmsc.js';
import { ModemLab, until } from '../support/pty.js';

const DAY = 86_400_000;
const near = (a: number, b: number, ms = 5_000) => Math.abs(a - b) < ms;

describe('the modem driver reads the network time (pty)', () => {
  let lab: ModemLab;
  beforeAll(() => {
    lab = new ModemLab('pty', { nitz: { zone: 8 } }); // the network's clock is the true time, UTC+2
  });
  afterAll(async () => lab.close());

  it('switches +CTZU/+CTZR on, hears +CTZE and reads AT+CCLK? once registered', async () => {
    const { modem: vm, port } = await lab.modem({ dialect: 'generic' });
    const d = lab.driver(port);
    const readings: NetworkTimeReading[] = [];
    d.on('network-time', (r: NetworkTimeReading) => readings.push(r));
    await d.start();
    await until(() => readings.some((r) => r.source.startsWith('AT+CCLK?')), 'a +CCLK reading');
    expect(vm.stats.commands).toEqual(expect.arrayContaining(['AT+CTZU=1', 'AT+CTZR=2', 'AT+CCLK?']));
    const cclk = readings.find((r) => r.source.startsWith('AT+CCLK?'))!;
    expect(cclk).toMatchObject({ nitz: true, source: expect.stringMatching(/^AT\+CCLK\? "\d\d\/\d\d\/\d\d,\d\d:\d\d:\d\d\+08" after NITZ$/) });
    expect(near(cclk.at, Date.now())).toBe(true);
    const ctze = readings.find((r) => r.source.startsWith('+CTZE'))!;
    expect(ctze.source).toMatch(/^\+CTZE \d{4}\/\d\d\/\d\d,\d\d:\d\d:\d\d$/);
    expect(near(ctze.at, Date.now())).toBe(true);
    // a time-zone change (UTC-5): the same instant, written in the new zone
    const before = readings.length;
    lab.network.nitzZone = -20;
    vm.sendNitz();
    await until(() => readings.slice(before).some((r) => r.source.includes('-20')), 'a reading in the new zone');
    expect(readings.slice(before).every((r) => near(r.at, Date.now()))).toBe(true);
    lab.network.nitzZone = 8;
  });

  it('Huawei ^NWTIME and SIMCom +CLTS / *PSUTTZ', async () => {
    const hw = await lab.modem({ dialect: 'huawei' });
    const sc = await lab.modem({ dialect: 'simcom' });
    const got = new Map<string, NetworkTimeReading[]>();
    for (const [name, m] of [['huawei', hw], ['simcom', sc]] as const) {
      const d = lab.driver(m.port);
      got.set(name, []);
      d.on('network-time', (r: NetworkTimeReading) => got.get(name)!.push(r));
      await d.start();
    }
    await until(() => got.get('huawei')!.some((r) => r.source.startsWith('^NWTIME')), 'a ^NWTIME reading');
    await until(() => got.get('simcom')!.some((r) => r.source.startsWith('AT+CCLK?') && r.nitz), 'a SIMCom +CCLK reading after *PSUTTZ');
    expect(sc.modem.stats.commands).toContain('AT+CLTS=1');
    for (const r of [...got.get('huawei')!, ...got.get('simcom')!]) expect(near(r.at, Date.now()), r.source).toBe(true);
  });

  it('a network that sends no time leaves the modem clock at its power-on date', async () => {
    const quiet = new ModemLab('pty');
    try {
      const { port } = await quiet.modem({ dialect: 'generic' });
      const d = quiet.driver(port);
      const readings: NetworkTimeReading[] = [];
      d.on('network-time', (r: NetworkTimeReading) => readings.push(r));
      await d.start();
      await until(() => readings.length > 0, 'a +CCLK reading');
      expect(readings[0]).toMatchObject({ nitz: false, source: expect.stringMatching(/^AT\+CCLK\? "04\/01\/01,/) });
      expect(new Date(readings[0].at).getUTCFullYear()).toBe(2004);
    } finally {
      await quiet.close();
    }
  });
});

describe('the MMSC takes its time from the network when the system clock is wrong (simulator on ptys)', () => {
  let mmsc: Mmsc | null = null;
  let dir: string;
  const lines: Record<string, unknown>[] = [];
  afterEach(async () => {
    await mmsc?.close();
    mmsc = null;
    rmSync(dir, { recursive: true, force: true });
    lines.length = 0;
  });

  async function start(simulator: object, bearer: object = {}) {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-clock-e2e-'));
    const port = await freePort();
    const config = ConfigSchema.parse({
      mmsc: { publicUrl: `http://127.0.0.1:${port}` },
      store: { path: join(dir, 'store'), mapSizeMiB: 64 },
      mm1: { port },
      relay: { defaultExpiry: '7d' },
      bearer: { kind: 'simulator', simulator: { modems: 1, airTime: 2, transport: 'pty', ratePerMinute: 60_000, autoFetch: false, ...simulator }, ...bearer },
      log: { level: 'info' },
    });
    // the box's clock: a day behind (fake-hwclock restored yesterday's save), no NTP
    const clock = new ProcessClock({ system: () => Date.now() - DAY });
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    mmsc = await startMmsc(config, { log, clock, systemSync: async () => ({ synchronised: false, how: 'test: NTPSynchronized=no' }) });
    const sim = mmsc.bearer as SimulatorBearer;
    await sim.ready;
    return { mmsc, clock, sim, base: `http://127.0.0.1:${port}`, config };
  }

  it('keeps an offset from the modem clock set by NITZ, moves what it scheduled meanwhile, and says so', async () => {
    // the network sends no time at first; notifications without status reports (their SMSC stamps would move the clock)
    const { mmsc: m, clock, sim, base } = await start({ networkTime: false }, { statusReports: false });
    expect(clock.trusted).toBe(false);
    expect(m.health.get('clock')).toMatchObject({ level: 'degraded', detail: expect.stringMatching(/^clock not trusted: the system clock is not synchronised \(test: NTPSynchronized=no\)/) });
    await sim.pool!.members[0].modem.waitFor('ready', 10_000);
    // a message accepted on the wrong clock
    const conf = await new Phone(base, '+4790000001').post({
      messageType: 'm-send-req', transactionId: 'nitz-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4790000002/TYPE=PLMN'],
      contentType: { type: 'text/plain' }, body: new TextEncoder().encode('sent before the time was known'),
    });
    const id = conf.pdu!.messageId as string;
    const before = m.store.messages.get(id)!;
    expect(near(before.expiresAt, Date.now() - DAY + 7 * DAY)).toBe(true);
    await until(() => m.store.deliveriesOf(id)[0]?.state === 'notified', 'the notification');
    const nextBefore = m.store.deliveriesOf(id)[0].nextAt as number;
    // the network starts sending its time: the modem (+CTZU on) sets its clock and reports it
    sim.radio!.network.nitzZone = 4;
    sim.radio!.modems[0].virtual.sendNitz();
    await until(() => clock.trusted, 'the clock trusted from the network');
    expect(near(clock.now(), Date.now(), 3_000)).toBe(true);
    expect(near(clock.offset(), DAY, 3_000)).toBe(true);
    await m.relay.idle();
    // what was scheduled on the wrong clock moved by the step: still 7 days and 10 minutes from now
    const after = m.store.messages.get(id)!;
    expect(after.expiresAt - before.expiresAt).toBeGreaterThan(DAY - 3_000);
    expect(after.expiresAt - before.expiresAt).toBeLessThan(DAY + 3_000);
    expect((m.store.deliveriesOf(id)[0].nextAt as number) - nextBefore).toBe(after.expiresAt - before.expiresAt);
    expect(m.health.get('clock')).toMatchObject({
      level: 'ok', detail: expect.stringMatching(/^the time is taken from the network \(modem \d+ \(.*\): (\+CTZE|AT\+CCLK\?) .*\) because the system clock is not synchronised.*The system clock is 1d behind/),
    });
    const msgs = lines.map((l) => String(l.msg));
    // (the network's time has a resolution of a second)
    expect(msgs).toContainEqual(expect.stringMatching(/^clock stepped \+(1d|23h 59m 5\ds) \(network time \(modem .*\)\): the schedule moved with it$/));
    expect(msgs).toContainEqual(expect.stringMatching(/^the MMSC keeps its own time, \+(1d|23h 59m 5\ds) from the system clock \(it may not set the system clock: no CAP_SYS_TIME\); set the system time \(sudo timedatectl set-time/));
    // a message accepted now expires 7 days from the true time
    const conf2 = await new Phone(base, '+4790000001').post({
      messageType: 'm-send-req', transactionId: 'nitz-2', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4790000003/TYPE=PLMN'],
      contentType: { type: 'text/plain' }, body: new TextEncoder().encode('sent on the network time'),
    });
    expect(near(m.store.messages.get(conf2.pdu!.messageId as string)!.expiresAt, Date.now() + 7 * DAY)).toBe(true);
    // mmsc doctor shows it (a separate reader of the store)
    const file = join(dir, 'mmsc.yaml');
    writeFileSync(file, `store:\n  path: ${join(dir, 'store')}\n  mapSizeMiB: 64\n`);
    let f = await diagnose(file);
    for (let i = 0; i < 100 && f?.find((x) => x.check === 'clock')?.level !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      f = await diagnose(file);
    }
    expect(f?.find((x) => x.check === 'clock')).toMatchObject({ level: 'ok', detail: expect.stringMatching(/taken from the network/) });
  }, 30_000);

  it('moves a clock that is behind forward to an SMSC time stamp, without trusting it', async () => {
    const { mmsc: m, clock, sim } = await start({ networkTime: false });
    await sim.pool!.members[0].modem.waitFor('ready', 10_000);
    expect(clock.trusted).toBe(false);
    // a phone sends the MMSC's number an SMS: the SMSC stamped it with the true time
    await sim.radio!.phone('+4790000007').sendText(sim.radio!.modems[0].virtual.msisdn, 'hello');
    await until(() => near(clock.now(), Date.now()), 'the clock moved forward to the time stamp');
    expect(clock.trusted).toBe(false);
    expect(m.health.get('clock')).toMatchObject({ level: 'degraded', detail: expect.stringMatching(/^clock not trusted: .* moved forward to the SMSC time stamp of an SMS through modem .* \(the system clock is 1d behind\)/) });
  }, 30_000);
});
