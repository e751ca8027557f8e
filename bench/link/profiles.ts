// Link profiles of the benchmark (KB = 1000 bytes). GPRS: a class-10 phone (4 down / 2 up
// timeslots, CS-2) as field measurements put it, ~40-50 kbit/s down and ~20 up, 500-700 ms round
// trip. EDGE: ~200 kbit/s down, ~100 up, ~300 ms round trip.
import type { LinkProfile } from './emulator.js';

export const GPRS: LinkProfile = { name: 'GPRS', up: { rate: 2_500, latencyMs: 300 }, down: { rate: 6_000, latencyMs: 300 } };
export const EDGE: LinkProfile = { name: 'EDGE', up: { rate: 12_000, latencyMs: 150 }, down: { rate: 25_000, latencyMs: 150 } };
