// The configuration file's schema (YAML, validated with zod). Every key has a default that
// serves a fresh machine: LMDB in ./data, MM1 on 127.0.0.1, a simulated modem. Messages are
// the project's (load.ts words every other issue); `.describe()` names what a key is.
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseCidr } from './cidr.js';
import { formatDuration, parseDuration } from './duration.js';
import { durationSchemas } from './schema-walk.js';

const DURATION_HINT = 'expected a duration such as 30s, 10m, 6h, 7d or milliseconds';

/** A duration key: "30s", "10m", "6h", "7d" or milliseconds; `minMs` refuses shorter ones. */
const duration = (def: string, minMs = 0) =>
  z
    .union([z.number(), z.string()], { error: DURATION_HINT })
    .default(def)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: DURATION_HINT, input: v });
        return z.NEVER;
      }
      if (ms < minMs) {
        ctx.addIssue({ code: 'custom', message: `expected at least ${formatDuration(minMs)}`, input: v });
        return z.NEVER;
      }
      return ms;
    })
    .register(durationSchemas, { default: def });

const cidr = z.string().refine((s) => parseCidr(s) !== undefined, { message: 'expected an IP network such as 10.0.0.0/8 or ::1/128' });
const msisdn = z.string().regex(/^\+?[0-9]{3,20}$/, { message: 'expected an MSISDN such as +15551234567' });
const prefixes = z.array(z.string().regex(/^\+?[0-9]*$/, { message: 'expected a number prefix such as "+47" or ""' }));
const port = z.number().int().min(0).max(65535);

const modem = z
  .object({
    /** The AT port; prefer a stable udev name (/dev/serial/by-id/... or a firmware-config rule). */
    port: z.string().min(1).describe('the serial port of this modem, e.g. /dev/ttyUSB2'),
    /** Identify the modem by IMEI: a re-plugged modem is found again under another ttyUSBn. */
    imei: z.string().regex(/^[0-9]{14,16}$/, { message: 'expected a 15-digit IMEI' }).optional(),
    pin: z.string().regex(/^[0-9]{4,8}$/, { message: 'expected a 4 to 8 digit SIM PIN' }).optional(),
    /** The SIM's own number: the `to` of the SMS it receives (few SIMs know it themselves, +CNUM). */
    msisdn: msisdn.optional(),
    vendor: z.enum(['auto', 'generic', 'huawei', 'simcom', 'quectel', 'sierra']).default('auto'),
    /** SMSC to use when the SIM has none or a wrong one ("+4790002100"). */
    smsc: z.string().regex(/^\+?[0-9]{3,20}$/, { message: 'expected an SMSC number such as +4790002100' }).optional(),
    /** SMS per minute this SIM may send (operators block SIMs that send too fast). */
    ratePerMinute: z.number().positive().default(20),
    /** Destination prefixes this modem serves (e.g. its operator's); empty = any. */
    routes: prefixes.default([]),
    /** How incoming SMS are taken: store (+CMTI, read, commit, delete) or direct (+CMT, +CNMA). */
    receive: z.enum(['store', 'direct']).default('store'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    mmsc: z
      .object({
        /** Domain of this MMSC: right-hand side of Message-IDs, MM4 domain. */
        domain: z.string().min(1).default('mmsc.local'),
        /**
         * Base URL phones use to fetch messages (goes into Content-Location, so keep it short).
         * Default: http://<mm1.host>:<mm1.port>, so that moving MM1 moves the notifications too.
         */
        publicUrl: z
          .url({ protocol: /^https?$/, error: 'expected the http:// URL phones fetch from, such as http://10.0.0.1:8080' })
          .refine((u) => !isUnspecified(hostOf(u)), { error: (i) => `phones cannot fetch from ${hostOf(String(i.input))}: give the address they reach this box at, e.g. http://10.0.0.1:8080` })
          .optional(),
        /** Highest MMS version we speak (answers use min(client, this)). */
        mmsVersion: z.enum(['1.0', '1.1', '1.2', '1.3']).default('1.2'),
      })
      .strict()
      .prefault({}),
    store: z
      .object({
        path: z.string().min(1).default('./data'),
        /**
         * The largest the store may grow to, in MiB, both LMDB environments together (records a
         * quarter, payloads the rest); new messages are refused past 7/8 of either, as on a full
         * disk. `auto`: 8192 on 64-bit, what fits the address space on 32-bit (a Raspberry Pi OS
         * process has 3 GiB); a number that does not fit is lowered, and start-up says so.
         */
        mapSizeMiB: z.union([z.literal('auto'), z.number().int().min(16)]).default('auto'),
        /**
         * Space kept for the messages already stored, in MiB: new messages are refused when the
         * store's filesystem has less free, and a file of this size in the store's folder is given
         * up when the disk fills anyway, so that deliveries and retrievals go on.
         */
        reserveMiB: z.number().int().min(1).default(32),
      })
      .strict()
      .prefault({}),
    mm1: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8080),
        /** Path phones POST every MM1 PDU to. */
        path: z.string().startsWith('/').default('/mms'),
        /** Prefix of retrieval URLs (the token follows). */
        retrievePath: z.string().startsWith('/').endsWith('/').default('/m/'),
        /** Largest PDU accepted in a POST, in bytes; larger bodies are refused before buffering. */
        maxBodyBytes: z.number().int().min(1024).default(1_048_576),
        /**
         * Other host[:port] names phones may put in absolute-form request targets (an MMS proxy set
         * to this box sends `POST http://name:port/mms`): publicUrl's and the address the phone
         * connected to are always ours. A name without a port matches any port. Others get 421.
         */
        authorities: z
          .array(z.string().refine((s) => /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$/.test(s) && URL.canParse(`http://${s}`), { message: 'expected host or host:port, such as mms.example or mms.example:8080' }))
          .default([]),
        /** The HTTP server's limits, sized for phones on GPRS/EDGE (2-25 KB/s, stalls of many seconds). */
        limits: z
          .object({
            /** A request whose head (request line and headers) has not arrived whole by then is dropped (slow-loris). */
            headersTimeout: duration('30s', 1000),
            /** A connection on which nothing moves for this long, mid-request or mid-response, is dropped (a rate floor would cut stalling GPRS links). */
            noProgressTimeout: duration('90s', 1000),
            /** An idle keep-alive connection is closed after this. */
            keepAliveTimeout: duration('15s', 1000),
            /** Connections open at once; more are answered 503 and closed. */
            maxConnections: z.number().int().min(1).default(512),
            /** Connections open at once from one address (trusted proxies are exempt: a gateway carries many phones). */
            maxConnectionsPerAddress: z.number().int().min(1).default(8),
            /** Connections dropped by a limit are logged once per address and limit per interval, then counted. */
            logInterval: duration('1m', 1000),
          })
          .strict()
          .prefault({}),
        identity: z
          .object({
            /** Request headers carrying the MSISDN, in order of preference. */
            headers: z.array(z.string().min(1)).default(['X-WAP-Network-Client-MSISDN']),
            /** Peers whose identity headers are trusted (the WAP gateway / GGSN / proxy). */
            trustedProxies: z.array(cidr).default(['127.0.0.1/32', '::1/128']),
            /** Static client IP -> MSISDN map for networks without a header-inserting proxy. */
            staticMap: z.record(z.string(), msisdn).prefault({}),
            /** Trust the From in the PDU when nothing else identifies the sender (never on by default). */
            trustPduFrom: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
        retrieval: z
          .object({
            /**
             * Refuse a fetch (and a confirmation) by a phone that a trusted header identifies as
             * someone other than the recipient. A static-map identity can be stale: its mismatch
             * is only logged. Either way a stranger's fetch never counts as the recipient's.
             */
            recipientOnly: z.boolean().default(true),
            /** Retrieval URLs with an unknown token, per client (its MSISDN, else its address; IPv6 by /64): a token bucket against guessing. */
            unknownTokens: z
              .object({
                /** Unknown tokens a client may try in a row. */
                burst: z.number().int().min(1).default(10),
                /** Tries given back per minute. */
                perMinute: z.number().positive().default(10),
                /** Clients remembered at once (a memory bound): the least recently seen are forgotten first. */
                maxClients: z.number().int().min(1).default(10_000),
              })
              .strict()
              .prefault({}),
            /** Unknown tokens and ignored identity headers are logged once per client per interval, with a count (a scan must not flood the SD card). */
            logInterval: duration('1m'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    relay: z
      .object({
        /** Country code used to turn national numbers into international ones (e.g. "47"). */
        countryCode: z.string().regex(/^[1-9][0-9]{0,2}$/, { message: 'expected a country calling code such as "47" (in quotes, without +)' }).optional(),
        /** National trunk prefix stripped before adding the country code (e.g. "0"). */
        nationalPrefix: z.string().regex(/^[0-9]*$/, { message: 'expected digits such as "0" (in quotes), or ""' }).default('0'),
        /** Numbers served by this MMSC, as prefixes of the normalised number ("" = every number, "+47" = Norway). */
        localPrefixes: prefixes.default(['']),
        /** Once a phone has fetched a message, how long to wait for its notifyresp/acknowledge. */
        fetchConfirmTimeout: duration('1h'),
        /** How long a message's headers are kept after every recipient is done (for read reports). */
        readReportWindow: duration('7d'),
        /** Pushes handed to the bearer at once. */
        bearerConcurrency: z.number().int().min(1).max(64).default(4),
        /** Outbox retry back-off for temporary bearer failures: first wait and ceiling. */
        outboxRetry: z
          .object({ first: duration('30s'), max: duration('30m'), maxAttempts: z.number().int().min(1).default(20) })
          .strict()
          .prefault({}),
        defaultExpiry: duration('7d'),
        maxExpiry: duration('14d'),
        /** Re-notification of messages never fetched: first retry, growth factor, ceiling. */
        renotify: z
          .object({ first: duration('10m'), factor: z.number().min(1).default(2), max: duration('6h') })
          .strict()
          .prefault({}),
        /** Count a successful GET as "Retrieved" without waiting for notifyresp/acknowledge. */
        deliveryReportOnFetch: z.boolean().default(false),
        /** Put From and Subject in notifications (costs bytes: may need a second SMS). */
        notifyFrom: z.boolean().default(false),
        notifySubject: z.boolean().default(false),
        /** How long a (sender, Transaction-ID) pair is remembered to answer a re-sent m-send.req. */
        idempotencyWindow: duration('1d'),
      })
      .strict()
      .prefault({}),
    bearer: z
      .object({
        /**
         * How pushes reach phones: the modem pool ('modem'), an SMPP link, the built-in simulator
         * (virtual modems and phones: a fresh machine, demos), or loopback (tests, external gateways).
         */
        kind: z.enum(['loopback', 'simulator', 'modem', 'smpp']).default('simulator'),
        loopback: z.object({ url: z.url({ protocol: /^https?$/, error: 'expected an http:// URL such as http://127.0.0.1:9000/push' }).optional() }).strict().prefault({}),
        /** The modems of the pool (kind: modem). */
        modems: z.array(modem).default([]),
        /** The simulated radio network (kind: simulator). */
        simulator: z
          .object({
            /** Virtual modems in the pool. */
            modems: z.number().int().min(1).max(16).default(1),
            dialect: z.enum(['generic', 'huawei', 'simcom', 'quectel', 'sierra']).default('generic'),
            /** Time one SMS takes on the air (per modem). */
            airTime: duration('500ms'),
            /** 'pty' serves each virtual modem on a socat pseudo-terminal (the real serialport path); 'auto' falls back to in-process when socat is missing. */
            transport: z.enum(['auto', 'pty', 'in-process']).default('auto'),
            /** Virtual phones fetch their MMS and confirm, like a handset on auto-download. */
            autoFetch: z.boolean().default(true),
            /** SMS per minute each virtual SIM may send (the pool's rate limit, as for a real one). */
            ratePerMinute: z.number().positive().default(60),
            /** The simulated network sends its time (NITZ) to the virtual modems, as most operators do. */
            networkTime: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
        smpp: z
          .object({
            host: z.string().min(1).default('127.0.0.1'),
            port: port.default(2775),
            systemId: z.string().max(15).default(''),
            password: z.string().max(8).default(''),
            systemType: z.string().max(12).default(''),
            /** Source address of the pushes (a short code or the MMSC's number). */
            sourceAddress: z.string().default(''),
            /** Submissions per second the SMSC allows on this bind. */
            ratePerSecond: z.number().positive().default(10),
            enquireLink: duration('30s'),
            reconnect: duration('5s'),
            /** Longest wait for an SMSC answer (bind, submit_sm, enquire_link); also the TCP connect. */
            responseTimeout: duration('10s'),
            /** How long a part of an incomplete incoming message keeps its deliver_sm_resp (an SMSC with a window of one waits for it). */
            partHold: duration('5s'),
            /** What data_coding 0, the SMSC's default alphabet, is on this SMSC: unpacked GSM 7-bit, or Latin-1 (also for IA5/ASCII). */
            defaultAlphabet: z.enum(['gsm7', 'latin1']).default('gsm7'),
            /** TON/NPI of sourceAddress, when the SMSC wants other than derived (+digits 1/1, digits 0/1, text 5/0). */
            sourceTon: z.number().int().min(0).max(255).optional(),
            sourceNpi: z.number().int().min(0).max(255).optional(),
            /** service_type of each submit_sm ("" = the SMSC's default; some want "WAP"). */
            serviceType: z.string().max(5).default(''),
          })
          .strict()
          .prefault({}),
        /** Ask the network for SMS status reports on notifications. */
        statusReports: z.boolean().default(true),
        /** A modem with this many failures in a row is benched... */
        benchAfterFailures: z.number().int().min(1).default(3),
        /** ...for this long, then probed again. */
        benchFor: duration('5m'),
        /** Incoming concatenated SMS missing parts are delivered, marked incomplete, after this. */
        reassemblyTimeout: duration('10m'),
      })
      .strict()
      .prefault({}),
    clock: z
      .object({
        /**
         * Whether the system clock is right: 'auto' when it is NTP-synchronised (timedatectl,
         * timesyncd, chronyc say so), 'always' (a box with a real-time clock, a managed host),
         * 'never' (take the time from the network only).
         */
        systemClock: z.enum(['auto', 'always', 'never']).default('auto'),
        /** Take the time from the mobile network (modems' NITZ clock, SMSC time stamps) when the system clock is not trusted. */
        networkTime: z.boolean().default(true),
        /** A jump of the wall clock beyond this, against the monotonic clock, is a step: the schedule moves with it. */
        stepThreshold: duration('2s'),
        /** How often the clock is compared with its reference (a step is noticed within this). */
        checkInterval: duration('10s'),
        /** Network time this close to the system clock confirms it; further off, the MMSC keeps its own offset. */
        networkTolerance: duration('30s'),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Issues may carry `params.lineAt`: where in the file the problem shows when the key itself is absent.
    if (c.bearer.kind === 'modem' && c.bearer.modems.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['bearer', 'modems'],
        message: 'no modems: bearer.kind is modem, which sends through the modems listed under bearer.modems; add one (- port: /dev/ttyUSB2) or choose another bearer.kind',
        params: { lineAt: ['bearer', 'kind'] },
      });
    }
    if (c.mmsc.publicUrl === undefined && isUnspecified(c.mm1.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['mmsc', 'publicUrl'],
        message: `not set, and mm1.host ${c.mm1.host} (every address of this box) is no address phones can fetch from: set mmsc.publicUrl to the URL phones reach MM1 at, e.g. http://10.0.0.1:${c.mm1.port}`,
        params: { lineAt: ['mm1', 'host'] },
      });
    }
  })
  .transform((c) => ({ ...c, mmsc: { ...c.mmsc, publicUrl: c.mmsc.publicUrl ?? publicUrlOf(c.mm1) } }));

/** 0.0.0.0, ::, [::]: "every address" to listen on, never an address to connect to. */
export function isUnspecified(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  const family = isIP(h);
  if (family === 4) return h.split('.').every((b) => Number(b) === 0);
  return family === 6 && /^[0:]*$/.test(h);
}

/** The host of a URL ('' when it is none: the url check says so). */
function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).hostname : '';
}

/** The URL MM1 listens on: http://<host>:<port> (and nothing else). */
export function publicUrlOf(mm1: { host: string; port: number }): string {
  return `http://${isIP(mm1.host) === 6 ? `[${mm1.host}]` : mm1.host}:${mm1.port}`;
}

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
