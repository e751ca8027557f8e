// The modem pool bearer: WAP pushes to phones as SMS through several GSM modems, with a durable
// per-segment queue, rate limits, routing, health, status reports and incoming SMS.
export { ModemPoolBearer, type ModemPoolOptions } from './pool.js';
export { PoolMember, type PoolModemSpec } from './member.js';
export { RateLimiter } from './rate.js';
export { routeMatch, digitsOf } from './routes.js';
export { cutPush } from './jobs.js';
export { describeTpStatus, tpStatusOutcome, type TpStatusOutcome } from './tp-status.js';
export type { PoolModemView } from './status.js';
