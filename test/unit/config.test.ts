// Configuration: the defaults serve a fresh machine, every error names the file, the line and
// the key in the project's words, one mistake is one error, and mmsc.publicUrl follows MM1.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Networks } from '../../src/config/cidr.js';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { formatEffectiveConfig } from '../../src/config/print.js';
import { isDuration, schemaAt } from '../../src/config/schema-walk.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { parse as parseYaml } from 'yaml';

function problems(text: string, file = 'mmsc.yaml'): ConfigError['problems'] {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error(`no error for:\n${text}`);
}

describe('config', () => {
  it('has defaults for a fresh machine', () => {
    const c = loadConfig();
    expect(c.store.path).toBe('./data');
    expect(c.mm1).toMatchObject({ host: '127.0.0.1', port: 8080, path: '/mms', retrievePath: '/m/' });
    expect(c.mmsc.publicUrl).toBe('http://127.0.0.1:8080');
    expect(c.mm1.identity.headers).toEqual(['X-WAP-Network-Client-MSISDN']);
    expect(c.mm1.identity.trustPduFrom).toBe(false);
    expect(c.relay.defaultExpiry).toBe(7 * 86_400_000);
  });

  it('names file, line, key, expectation and what was found, for every problem at once', () => {
    const text = ['mm1:', '  port: abc', '  identity:', '    trustedProxies: [10.0.0.0/33]', 'relay:', '  defaultExpiry: 7 days', '  bogus: 1'].join('\n');
    let err: ConfigError | undefined;
    try {
      parseConfig(text, '/etc/mmsc/mmsc.yaml');
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      { key: 'mm1.port', line: 2, message: 'expected a number, found "abc"' },
      { key: 'mm1.identity.trustedProxies[0]', line: 4, message: 'expected an IP network such as 10.0.0.0/8 or ::1/128, found "10.0.0.0/33"' },
      { key: 'relay.defaultExpiry', line: 6, message: 'expected a duration such as 30s, 10m, 6h, 7d or milliseconds, found "7 days"' },
      { key: 'relay.bogus', line: 7, message: expect.stringMatching(/^unknown key; every key is listed in firmware-config\/mmsc\.example\.yaml$/) },
    ]);
    expect(err!.message).toMatch(/^invalid configuration in \/etc\/mmsc\/mmsc\.yaml:\n {2}\/etc\/mmsc\/mmsc\.yaml:2: mm1\.port: expected a number/);
  });

  it('names a missing key by what it is, not by its type', () => {
    const text = 'bearer:\n  kind: modem\n  modems:\n    - imei: "861234567890123"\n';
    expect(problems(text)).toEqual([{ key: 'bearer.modems[0].port', line: 4, message: 'missing: the serial port of this modem, e.g. /dev/ttyUSB2' }]);
    // left empty is the same as left out
    expect(problems('bearer:\n  kind: modem\n  modems:\n    - port:\n      imei: "861234567890123"\n')).toEqual([
      { key: 'bearer.modems[0].port', line: 4, message: 'missing: the serial port of this modem, e.g. /dev/ttyUSB2' },
    ]);
  });

  it("never lets the library's wording through, whatever the key and the wrong value", () => {
    // Every key of the schema, given values of the wrong type and out of range.
    const paths = [
      'mmsc.domain', 'mmsc.publicUrl', 'mmsc.mmsVersion', 'store.path', 'store.mapSizeMiB', 'mm1.host', 'mm1.port', 'mm1.path', 'mm1.retrievePath',
      'mm1.maxBodyBytes', 'mm1.identity.headers', 'mm1.identity.trustedProxies', 'mm1.identity.staticMap', 'mm1.identity.trustPduFrom',
      'relay.countryCode', 'relay.nationalPrefix', 'relay.localPrefixes', 'relay.fetchConfirmTimeout', 'relay.bearerConcurrency', 'relay.outboxRetry.maxAttempts',
      'relay.renotify.factor', 'relay.deliveryReportOnFetch', 'bearer.kind', 'bearer.loopback.url', 'bearer.simulator.modems', 'bearer.simulator.airTime',
      'bearer.smpp.port', 'bearer.smpp.systemId', 'bearer.smpp.password', 'bearer.smpp.sourceTon', 'bearer.benchFor', 'log.level', 'log',
    ];
    const wrong = ['{ x: 1 }', '[1, 2]', 'true', '"zz"', '-5', '1.5', '99999999999', '""', '[""]', '{ "1.2.3.4": "me" }'];
    const library = /Invalid|received|Too (small|big)|Unrecognized|must (start|end|match)|expected (string|number|boolean|object|array|int|record)\b|>=|<=/;
    let seen = 0;
    for (const path of paths) {
      for (const value of wrong) {
        const keys = path.split('.');
        const text = keys.map((k, i) => `${'  '.repeat(i)}${k}:${i === keys.length - 1 ? ` ${value}` : ''}`).join('\n');
        let ps: ConfigError['problems'] = [];
        try {
          parseConfig(text, 'w.yaml');
        } catch (e) {
          if (!(e instanceof ConfigError)) throw new Error(`${path}: ${value}: ${(e as Error).stack}`);
          ps = e.problems;
        }
        for (const p of ps) {
          seen++;
          expect(p.message, `${path}: ${value}`).not.toMatch(library);
          expect(p.key, `${path}: ${value}`).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}`));
          expect(p.line, `${path}: ${value}`).toBe(keys.length);
        }
      }
    }
    expect(seen).toBeGreaterThan(250);
    // a modem's keys (inside a list)
    for (const [k, v] of [['port', '5'], ['imei', '"12"'], ['pin', 'true'], ['smsc', '"x"'], ['routes', '["a"]'], ['vendor', 'nokia'], ['receive', '{}'], ['ratePerMinute', '0']]) {
      const item = k === 'port' ? `    - port: ${v}\n` : `    - port: /dev/ttyUSB2\n      ${k}: ${v}\n`;
      const ps = problems(`bearer:\n  kind: modem\n  modems:\n${item}`);
      expect(ps, `${k}: ${v}`).toHaveLength(1);
      expect(ps[0].key).toMatch(new RegExp(`^bearer\\.modems\\[0\\]\\.${k}`));
      expect(ps[0].line).toBe(k === 'port' ? 4 : 5);
      expect(ps[0].message, `${k}: ${v}`).not.toMatch(library);
    }
  });

  it('gives ONE error, at the line to fix, for one indentation mistake', () => {
    const cases: [string, string, number, RegExp][] = [
      // a key indented further than the one above it: YAML reads "8080 host" as one key
      ['over-indented key', 'mm1:\n  port: 8080\n   host: 0.0.0.0\nrelay:\n  countryCode: "47"\n', 3, /^indentation: this line starts further right than the key above it/],
      // the keys of identity: written at the level of identity itself
      ['under-indented section', 'mm1:\n  port: 8080\n  identity:\n  headers: [X-MSISDN]\n  trustPduFrom: false\n', 4, /^headers and trustPduFrom belong under identity: \(line 3\), which has nothing under it: indent them further than identity:$/],
      ['key pulled out of its section', 'relay:\n  countryCode: "47"\n nationalPrefix: "0"\n  notifyFrom: true\n', 3, /^indentation: this line does not line up with the keys above it/],
      ['key of a list item misaligned', 'bearer:\n  kind: modem\n  modems:\n    - port: /dev/ttyUSB2\n      imei: "861234567890123"\n     pin: "1234"\n', 6, /^indentation: this line is neither a key of the list item above/],
      ['key left in the section above', 'mm1:\n  port: 8080\n  identity:\n    headers: [X-MSISDN]\n    maxBodyBytes: 300000\n', 5, /^maxBodyBytes belongs to mm1, not to mm1\.identity: start it in the column of identity: \(line 3\)$/],
      ['section left empty', 'mmsc:\n  domain: x\nstore:\npath: /var/lib/mmsc\n', 4, /^path belongs under store: \(line 3\)/],
      ['tab', 'mm1:\n\tport: 8080\n', 2, /^a tab in the indentation/],
    ];
    for (const [what, text, line, message] of cases) {
      const ps = problems(text);
      expect(ps, what).toHaveLength(1);
      expect(ps[0].line, what).toBe(line);
      expect(ps[0].message, what).toMatch(message);
    }
  });

  it('points an unknown key at where it goes, or at the key it resembles', () => {
    expect(problems('mm1:\n  countryCode: "47"\n')[0]).toEqual({ key: 'mm1.countryCode', line: 2, message: 'unknown key in mm1; relay.countryCode is where countryCode goes' });
    expect(problems('mm1:\n  prot: 8080\n')[0]).toEqual({ key: 'mm1.prot', line: 2, message: 'unknown key (did you mean port?); every key is listed in firmware-config/mmsc.example.yaml' });
  });

  it('derives mmsc.publicUrl from mm1 (host and port, nothing else) and keeps an explicit one as it is', () => {
    expect(parseConfig('mm1:\n  port: 9090\n', 'x.yaml').mmsc.publicUrl).toBe('http://127.0.0.1:9090');
    expect(parseConfig('mm1: { host: 10.1.2.3, port: 80, path: /mms/send }\n', 'x.yaml').mmsc.publicUrl).toBe('http://10.1.2.3:80');
    expect(parseConfig('mm1: { host: "::1" }\n', 'x.yaml').mmsc.publicUrl).toBe('http://[::1]:8080');
    expect(parseConfig('mm1: { host: mms.example.net, port: 8000 }\n', 'x.yaml').mmsc.publicUrl).toBe('http://mms.example.net:8000');
    expect(parseConfig('mmsc:\n  publicUrl:\nmm1: { port: 9091 }\n', 'x.yaml').mmsc.publicUrl).toBe('http://127.0.0.1:9091');
    expect(parseConfig('mmsc: { publicUrl: "http://mms.example/x/" }\nmm1: { host: 0.0.0.0, port: 9090 }\n', 'x.yaml').mmsc.publicUrl).toBe('http://mms.example/x/');
  });

  it('refuses an unspecified address (0.0.0.0, ::) as the address phones fetch from, saying to set mmsc.publicUrl', () => {
    for (const host of ['0.0.0.0', '"::"', '"[::]"', '"0:0:0:0:0:0:0:0"']) {
      expect(problems(`store: { path: /tmp/x }\nmm1:\n  host: ${host}\n  port: 8081\n`), host).toEqual([
        { key: 'mmsc.publicUrl', line: 3, message: expect.stringMatching(/^not set, and mm1\.host \S+ \(every address of this box\) is no address phones can fetch from: set mmsc\.publicUrl to the URL phones reach MM1 at, e\.g\. http:\/\/10\.0\.0\.1:8081$/) },
      ]);
    }
    expect(problems('mmsc:\n  publicUrl: http://0.0.0.0:8080\n')).toEqual([
      { key: 'mmsc.publicUrl', line: 2, message: 'phones cannot fetch from 0.0.0.0: give the address they reach this box at, e.g. http://10.0.0.1:8080, found "http://0.0.0.0:8080"' },
    ]);
    expect(problems('mmsc:\n  publicUrl: ftp://mms.example\n')[0].message).toMatch(/^expected the http:\/\/ URL phones fetch from/);
  });

  it('refuses bearer.kind: modem without modems, naming the key', () => {
    const message = 'no modems: bearer.kind is modem, which sends through the modems listed under bearer.modems; add one (- port: /dev/ttyUSB2) or choose another bearer.kind';
    expect(problems('log: { level: warn }\nbearer:\n  kind: modem\n')).toEqual([{ key: 'bearer.modems', line: 3, message }]);
    expect(problems('bearer:\n  kind: modem\n  modems: []\n')).toEqual([{ key: 'bearer.modems', line: 3, message }]);
  });

  it("takes a modem SIM's own number, and names the key of a bad one", () => {
    const good = parseConfig('bearer:\n  kind: modem\n  modems:\n    - { port: /dev/ttyUSB2, imei: "861234567890123", msisdn: "+4790001234" }\n', 'm.yaml');
    expect(good.bearer.modems[0]).toMatchObject({ port: '/dev/ttyUSB2', msisdn: '+4790001234' });
    expect(() => parseConfig('bearer:\n  modems:\n    - port: /dev/ttyUSB2\n      msisdn: my sim\n', 'm.yaml')).toThrow(
      /m\.yaml:4: bearer\.modems\[0\]\.msisdn: expected an MSISDN such as \+15551234567, found "my sim"/,
    );
  });

  it('reports YAML syntax errors with their line, and unreadable files', () => {
    expect(() => parseConfig('mm1:\n  identity:\n    headers: [a, b\nrelay:\n  countryCode: "47"\n', 'x.yaml')).toThrow(/^invalid configuration in x\.yaml:\n {2}x\.yaml:4: a \[list\] or \{map\} above is not closed/);
    expect(() => parseConfig('mm1:\n  port: 1\n  port: 2\n', 'x.yaml')).toThrow(/x\.yaml:3: this key is set twice in its section/);
    expect(() => loadConfig('/nonexistent/mmsc.yaml')).toThrow(/\/nonexistent\/mmsc\.yaml: cannot read the file/);
  });

  it('parses and prints durations, and matches networks (IPv4, IPv6, IPv4-mapped)', () => {
    expect([parseDuration('30s'), parseDuration('10m'), parseDuration('1.5h'), parseDuration(250), parseDuration('7 days')]).toEqual([30_000, 600_000, 5_400_000, 250, undefined]);
    expect([formatDuration(7 * 86_400_000), formatDuration(90 * 60_000), formatDuration(250)]).toEqual(['7d', '90m', '250ms']);
    const n = new Networks(['10.0.0.0/8', '::1/128']);
    expect([n.has('10.1.2.3'), n.has('::ffff:10.9.9.9'), n.has('::1'), n.has('11.0.0.1'), n.has('garbage')]).toEqual([true, true, true, false, false]);
  });

  it('prints every duration of the example as a duration, and refuses one under its minimum in those words', () => {
    const example = new URL('../../firmware-config/mmsc.example.yaml', import.meta.url).pathname;
    const printed = parseYaml(formatEffectiveConfig(loadConfig(example))) as Record<string, unknown>;
    const written = parseYaml(readFileSync(example, 'utf8')) as Record<string, unknown>;
    const durations: string[] = [];
    const walk = (v: unknown, path: string[]): void => {
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else if (typeof v === 'string' && /^\d+(ms|s|m|h|d)$/.test(v)) durations.push(path.join('.'));
    };
    walk(written, []);
    expect(durations.length).toBeGreaterThanOrEqual(20);
    const at = (o: Record<string, unknown>, path: string) => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown>)?.[k], o);
    for (const key of durations) {
      expect(isDuration(schemaAt(ConfigSchema, key.split('.'))!), key).toBe(true);
      expect(at(printed, key), key).toBe(at(written, key));
    }
    expect(problems('mm1:\n  limits:\n    headersTimeout: 500ms\n')).toEqual([
      { key: 'mm1.limits.headersTimeout', line: 3, message: 'expected at least 1s, found "500ms"' },
    ]);
  });
});
