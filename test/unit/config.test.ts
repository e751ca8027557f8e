// Configuration: the defaults serve a fresh machine, and every error names the file, the line,
// the key and what was expected.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Networks } from '../../src/config/cidr.js';
import { parseDuration } from '../../src/config/duration.js';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');

describe('config', () => {
  it('has defaults for a fresh machine', () => {
    const c = loadConfig();
    expect(c.store.path).toBe('./data');
    expect(c.mm1).toMatchObject({ host: '127.0.0.1', port: 8080, path: '/mms', retrievePath: '/m/' });
    expect(c.mm1.identity.headers).toEqual(['X-WAP-Network-Client-MSISDN']);
    expect(c.mm1.identity.trustPduFrom).toBe(false);
    expect(c.relay.defaultExpiry).toBe(7 * 86_400_000);
  });

  it('reads the example configuration shipped in firmware-config/', () => {
    const c = loadConfig(join(import.meta.dirname, '../../firmware-config/mmsc.example.yaml'));
    expect(c.relay).toMatchObject({ countryCode: '47', localPrefixes: ['+47'], renotify: { first: 600_000, factor: 2, max: 21_600_000 } });
  });

  it('names file, line, key and expectation for every problem at once', () => {
    const text = ['mm1:', '  port: abc', '  identity:', '    trustedProxies: [10.0.0.0/33]', 'relay:', '  defaultExpiry: 7 days', '  bogus: 1'].join('\n');
    let err: ConfigError | undefined;
    try {
      parseConfig(text, '/etc/mmsc/mmsc.yaml');
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      { key: 'mm1.port', line: 2, message: 'expected number, received string' },
      { key: 'mm1.identity.trustedProxies.0', line: 4, message: 'expected an IP network such as 10.0.0.0/8 or ::1/128' },
      { key: 'relay.defaultExpiry', line: 6, message: 'expected a duration such as 30s, 10m, 6h, 7d or milliseconds' },
      { key: 'relay.bogus', line: 7, message: expect.stringMatching(/^unknown key/) },
    ]);
    expect(err!.message).toMatch(/^invalid configuration in \/etc\/mmsc\/mmsc\.yaml:\n {2}\/etc\/mmsc\/mmsc\.yaml:2: mm1\.port: expected number/);
  });

  it('takes a modem SIM\'s own number, and names the key of a bad one', () => {
    const good = parseConfig('bearer:\n  kind: modem\n  modems:\n    - { port: /dev/ttyUSB2, imei: "861234567890123", msisdn: "+4790001234" }\n', 'm.yaml');
    expect(good.bearer.modems[0]).toMatchObject({ port: '/dev/ttyUSB2', msisdn: '+4790001234' });
    expect(() => parseConfig('bearer:\n  modems:\n    - port: /dev/ttyUSB2\n      msisdn: my sim\n', 'm.yaml')).toThrow(
      /m\.yaml:4: bearer\.modems\.0\.msisdn: expected an MSISDN such as \+15551234567/,
    );
  });

  it('reports YAML syntax errors with their line, and unreadable files', () => {
    expect(() => parseConfig('mm1:\n  port: [1,\n', 'x.yaml')).toThrow(/x\.yaml:\d+: \(top level\): YAML syntax/);
    expect(() => loadConfig('/nonexistent/mmsc.yaml')).toThrow(/\/nonexistent\/mmsc\.yaml: \(top level\): cannot read the file/);
  });

  it('mmsc config check exits 1 with the message, 0 with the effective settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsc-cfg-'));
    writeFileSync(join(dir, 'bad.yaml'), 'mm1:\n  maxBodyBytes: 10\n');
    const bad = spawnSync(process.execPath, [CLI, 'config', 'check', join(dir, 'bad.yaml')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:2: mm1\.maxBodyBytes: .*1024/);
    writeFileSync(join(dir, 'good.yaml'), 'relay:\n  defaultExpiry: 2d\n');
    const good = spawnSync(process.execPath, [CLI, 'config', 'check', join(dir, 'good.yaml')], { encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/good\.yaml: OK/);
    expect(JSON.parse(good.stdout.slice(good.stdout.indexOf('{'))).relay.defaultExpiry).toBe(2 * 86_400_000);
  });

  it('parses durations and matches networks (IPv4, IPv6, IPv4-mapped)', () => {
    expect([parseDuration('30s'), parseDuration('10m'), parseDuration('1.5h'), parseDuration(250), parseDuration('7 days')]).toEqual([30_000, 600_000, 5_400_000, 250, undefined]);
    const n = new Networks(['10.0.0.0/8', '::1/128']);
    expect([n.has('10.1.2.3'), n.has('::ffff:10.9.9.9'), n.has('::1'), n.has('11.0.0.1'), n.has('garbage')]).toEqual([true, true, true, false, false]);
  });
});
