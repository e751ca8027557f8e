// How the simulated modems differ: identity, defaults and the answers that vary between
// vendors. Values follow the vendors' AT manuals and answers seen from real units (gammu's
// test dumps for the Huawei +CPMS list, for instance); they are plausible, not a copy of any
// one firmware. Each can be overridden per virtual modem.

export type DialectName = 'huawei' | 'simcom' | 'quectel' | 'sierra' | 'generic';

export interface Dialect {
  name: DialectName;
  manufacturer: string;
  model: string;
  revision: string;
  /** Lines of the ATI answer ({imei} is replaced). */
  ati: string[];
  /** Echo after power-on (V.250 says on; some units are saved with E0). */
  echo: boolean;
  /** What ends (and, in verbose mode, starts) every response line. */
  eol: string;
  /** The SMS text prompt exactly as sent. */
  prompt: string;
  /** Final result for an unknown command. */
  unknown: string;
  /** What ESC during SMS text entry answers ('' for nothing). */
  escAnswer: string;
  /** The +CNMI=? answer. */
  cnmiTest: string;
  /** Memories offered for <mem1>, <mem2>, <mem3> (+CPMS=?). */
  memories: [string[], string[], string[]];
  /** Capacity of each memory. */
  capacity: Record<string, number>;
  /** Where +CDSI status reports go (null: the unit cannot store them). */
  statusMemory: string | null;
  /** First storage index (0 on Huawei, 1 on most others). */
  firstIndex: 0 | 1;
  /** +CSMS=1 (phase 2+, +CNMA acknowledgements) supported. */
  phase2plus: boolean;
  /** +CMMS supported. */
  cmms: boolean;
  /** The command that reads the ICCID and the prefix of its answer ('' for a bare line). */
  iccid: { command: string; prefix: string };
  /** Unsolicited lines after power-on. */
  boot: string[];
  /** Vendor URCs that report signal changes when enabled (Huawei ^RSSI with ^CURC=1). */
  signalUrc: ((rssi: number) => string) | null;
  /** Vendor status URCs sent with the signal ones (Huawei ^MODE, ^BOOT). */
  noiseUrcs: string[];
  /** +CFUN after power-on: 1 full, 4 radio off (some Sierra units until told otherwise). */
  cfunAtBoot: 0 | 1 | 4;
  /** Strings (+CSCA, +COPS) come UCS-2 hex whatever +CSCS says (old Huawei firmwares). */
  ucs2Strings: boolean;
}

const huawei: Dialect = {
  name: 'huawei',
  manufacturer: 'huawei',
  model: 'E173',
  revision: '11.126.85.00.209',
  ati: ['Manufacturer: huawei', 'Model: E173', 'Revision: 11.126.85.00.209', 'IMEI: {imei}', '+GCAP: +CGSM,+DS,+ES'],
  echo: true,
  eol: '\r\n',
  prompt: '\r\n> ',
  unknown: 'COMMAND NOT SUPPORT',
  escAnswer: '',
  cnmiTest: '+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)',
  memories: [['SM', 'ME'], ['SM', 'ME'], ['SM', 'ME']],
  capacity: { SM: 30, ME: 255 },
  statusMemory: null,
  firstIndex: 0,
  phase2plus: true,
  cmms: true,
  iccid: { command: 'AT^ICCID?', prefix: '^ICCID: ' },
  boot: ['^BOOT:25145665,0,0,0,72', '^RSSI:17', '^MODE:5,4'],
  signalUrc: (rssi) => `^RSSI:${rssi}`,
  noiseUrcs: ['^BOOT:25145665,0,0,0,72', '^MODE:5,4', '^DSFLOWRPT:0000000A,00000000,00000000,0000000000000000,0000000000000000,0003E800,0003E800'],
  cfunAtBoot: 1,
  ucs2Strings: false,
};

const simcom: Dialect = {
  name: 'simcom',
  manufacturer: 'SIMCOM_Ltd',
  model: 'SIMCOM_SIM800L',
  revision: 'Revision:1418B05SIM800L24',
  ati: ['SIM800 R14.18'],
  echo: true,
  eol: '\r\n',
  prompt: '> ',
  unknown: 'ERROR',
  escAnswer: '',
  cnmiTest: '+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)',
  memories: [['SM', 'ME', 'SM_P', 'ME_P', 'MT'], ['SM', 'ME', 'SM_P', 'ME_P', 'MT'], ['SM', 'ME', 'SM_P', 'ME_P', 'MT']],
  capacity: { SM: 30, ME: 50, SM_P: 30, ME_P: 50, MT: 80 },
  statusMemory: null,
  firstIndex: 1,
  phase2plus: true,
  cmms: true,
  iccid: { command: 'AT+CCID', prefix: '' },
  boot: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
  signalUrc: null,
  noiseUrcs: [],
  cfunAtBoot: 1,
  ucs2Strings: false,
};

const quectel: Dialect = {
  name: 'quectel',
  manufacturer: 'Quectel',
  model: 'EC25',
  revision: 'EC25EFAR06A06M4G',
  ati: ['Quectel', 'EC25', 'Revision: EC25EFAR06A06M4G'],
  echo: true,
  eol: '\r\n',
  prompt: '\r\n> ',
  unknown: 'ERROR',
  escAnswer: 'OK',
  cnmiTest: '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)',
  memories: [['SM', 'ME', 'MT'], ['SM', 'ME', 'MT'], ['SM', 'ME', 'MT']],
  capacity: { SM: 50, ME: 255, MT: 305 },
  statusMemory: null,
  firstIndex: 0,
  phase2plus: true,
  cmms: true,
  iccid: { command: 'AT+QCCID', prefix: '+QCCID: ' },
  boot: ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'],
  signalUrc: null,
  noiseUrcs: [],
  cfunAtBoot: 1,
  ucs2Strings: false,
};

// Sierra's MC7xxx cannot route status reports to the host directly here: only <ds> 0 or 2,
// i.e. stored in "SR" and announced with +CDSI. It comes up with the radio off (+CFUN: 4).
const sierra: Dialect = {
  name: 'sierra',
  manufacturer: 'Sierra Wireless, Incorporated',
  model: 'MC7455',
  revision: 'SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 2017/05/19 06:23:09',
  ati: [
    'Manufacturer: Sierra Wireless, Incorporated', 'Model: MC7455', 'Revision: SWI9X30C_02.24.05.06',
    'IMEI: {imei}', 'IMEI SV: 9', 'FSN: LQ650551070110', '+GCAP: +CGSM',
  ],
  echo: true,
  eol: '\r\n',
  prompt: '\r\n> ',
  unknown: 'ERROR',
  escAnswer: 'OK',
  cnmiTest: '+CNMI: (0-2),(0-3),(0,2),(0,2),(0,1)',
  memories: [['SM', 'ME', 'SR'], ['SM', 'ME'], ['SM', 'ME']],
  capacity: { SM: 20, ME: 255, SR: 20 },
  statusMemory: 'SR',
  firstIndex: 0,
  phase2plus: true,
  cmms: true,
  iccid: { command: 'AT!ICCID?', prefix: '!ICCID: ' },
  boot: [],
  signalUrc: null,
  noiseUrcs: [],
  cfunAtBoot: 4,
  ucs2Strings: false,
};

// A plain 27.005 phase 2 modem: no +CMMS, no +CSMS=1, echo off, "> " without a line break.
const generic: Dialect = {
  name: 'generic',
  manufacturer: 'Generic',
  model: 'GSM MODEM',
  revision: '1.0',
  ati: ['GSM MODEM 1.0'],
  echo: false,
  eol: '\r\n',
  prompt: '> ',
  unknown: 'ERROR',
  escAnswer: '',
  cnmiTest: '+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)',
  memories: [['SM'], ['SM'], ['SM']],
  capacity: { SM: 25 },
  statusMemory: null,
  firstIndex: 1,
  phase2plus: false,
  cmms: false,
  iccid: { command: 'AT+CCID', prefix: '+CCID: ' },
  boot: [],
  signalUrc: null,
  noiseUrcs: [],
  cfunAtBoot: 1,
  ucs2Strings: false,
};

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { huawei, simcom, quectel, sierra, generic };

export function dialect(name: DialectName, overrides: Partial<Dialect> = {}): Dialect {
  const base = DIALECTS[name];
  if (!base) throw new Error(`unknown modem dialect "${name}" (one of ${Object.keys(DIALECTS).join(', ')})`);
  return { ...base, ...overrides };
}
