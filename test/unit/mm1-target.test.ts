// Request targets (RFC 9112 §3.2): the origin form as sent, the absolute form only for an
// authority of ours, and the aggregated log of refusals by a limit.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LogDigest } from '../../src/log-digest.js';
import { DropLog } from '../../src/mm1/drop-log.js';
import { Authorities, parseTarget } from '../../src/mm1/target.js';

describe('parseTarget', () => {
  const ours = new Authorities('http://mms.example', '0.0.0.0', ['mmsc.operator:8080', '[2001:db8::1]']);
  const parse = (raw: string, local: { address?: string; port?: number } = { address: '10.0.0.1', port: 8080 }) => parseTarget(raw, (h, p) => ours.accepts(h, p, local));

  it('keeps the origin form as sent, query apart', () => {
    expect(parse('/m/abc%2Fdef?x=1')).toEqual({ kind: 'ours', path: '/m/abc%2Fdef', query: 'x=1' });
    expect(parse('/m/../mms')).toEqual({ kind: 'ours', path: '/m/../mms', query: '' });
  });

  it('serves the absolute form for publicUrl (default port 80), configured names, the address connected to', () => {
    expect(parse('http://mms.example/mms')).toEqual({ kind: 'ours', path: '/mms', query: '' });
    expect(parse('http://MMS.example:80/m/T0k-en?q')).toEqual({ kind: 'ours', path: '/m/T0k-en', query: 'q' });
    expect(parse('http://mmsc.operator:8080/mms').kind).toBe('ours');
    expect(parse('http://[2001:db8::1]:9999/mms').kind).toBe('ours'); // a name without a port: any port
    expect(parse('http://10.0.0.1:8080/mms').kind).toBe('ours');
    expect(parse('http://127.0.0.1:8080/mms', { address: '::ffff:127.0.0.1', port: 8080 }).kind).toBe('ours');
    expect(parse('http://[::1]:8080/mms', { address: '::1', port: 8080 }).kind).toBe('ours');
    expect(parse('http://mms.example')).toEqual({ kind: 'ours', path: '/', query: '' });
    expect(parse('http://mms.example?x')).toEqual({ kind: 'ours', path: '/', query: 'x' });
  });

  it('refuses other authorities, ports and schemes', () => {
    expect(parse('http://mms.example:8080/mms')).toEqual({ kind: 'foreign', authority: 'mms.example:8080' });
    expect(parse('http://mmsc.operator/mms')).toEqual({ kind: 'foreign', authority: 'mmsc.operator' });
    expect(parse('http://10.0.0.1:9090/mms')).toEqual({ kind: 'foreign', authority: '10.0.0.1:9090' });
    expect(parse('https://mms.example/mms')).toEqual({ kind: 'foreign', authority: 'https://mms.example' });
    expect(parse('http://user@evil.example/mms')).toEqual({ kind: 'foreign', authority: 'evil.example' });
  });

  it('names what is neither a path nor a URL', () => {
    expect(parse('*')).toMatchObject({ kind: 'bad', why: 'request target "*" is neither a path nor an absolute URL' });
    expect(parse('http://[::1/x')).toMatchObject({ kind: 'bad' });
  });
});

describe('DropLog', () => {
  it('logs the first refusal per address and limit at once, counts the rest, bounds the addresses', () => {
    const lines: { msg: string; peer: string; limit: string; count?: number }[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const d = new DropLog(new LogDigest(log, 60_000, 2));
    for (let i = 0; i < 5; i++) d.drop('10.0.0.1', 'connections-per-address', 'refused a connection');
    d.drop('10.0.0.1', 'headers-timeout', 'dropped a connection');
    for (let i = 0; i < 3; i++) d.drop(`10.0.0.${10 + i}`, 'bad-request', 'refused: malformed');
    expect(lines.map((l) => [l.peer, l.limit])).toEqual([['10.0.0.1', 'connections-per-address'], ['10.0.0.1', 'headers-timeout']]);
    d.close();
    expect(lines.slice(2)).toEqual([
      expect.objectContaining({ peer: '10.0.0.1', limit: 'connections-per-address', count: 4, msg: '4 more from 10.0.0.1 in the last 1m: refused a connection' }),
      expect.objectContaining({ count: 3, tracked: 2, msg: '3 more events from clients not tracked one by one (2 are)' }),
    ]);
  });
});
