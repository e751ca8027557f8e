// Routing by destination prefix: which modems may take a number, and how specifically.
import { describe, expect, it } from 'vitest';
import { routeMatch } from '../../src/bearer/pool/routes.js';

describe('routeMatch', () => {
  it('takes any number without routes (or with an empty prefix)', () => {
    expect(routeMatch([], '+4790000001')).toBe(0);
    expect(routeMatch([''], '12345')).toBe(0);
  });

  it('matches prefixes with or without the plus, longest first', () => {
    expect(routeMatch(['+47'], '+4790000001')).toBe(2);
    expect(routeMatch(['47', '4790'], '+4790000001')).toBe(4);
    expect(routeMatch(['+4791'], '+4790000001')).toBe(-1);
    expect(routeMatch(['+46', '+45'], '+4790000001')).toBe(-1);
  });

  it('compares digits: a national number does not match an international prefix', () => {
    expect(routeMatch(['+47'], '90000001')).toBe(-1);
    expect(routeMatch(['9'], '90000001')).toBe(1);
  });
});
