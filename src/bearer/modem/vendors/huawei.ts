// Huawei sticks in "stick" (serial) mode: E173, E1550, E1752, E3372 (E3372h firmware 21.x in
// modem mode; the HiLink firmware has no AT port). USB ids: 12d1:1001, 12d1:1003, 12d1:1436,
// 12d1:1506, 12d1:1c05 (AT on the "PC UI" interface, usually ttyUSB2); 12d1:14dc is HiLink.
//
// - They chatter: ^RSSI, ^MODE, ^BOOT, ^DSFLOWRPT, ^SRVST, ^SIMST... every few seconds, in the
//   middle of responses too. AT^CURC=0 silences most; firmwares that refuse it keep talking,
//   so the prefixes are also registered as noise.
// - Unknown commands answer "COMMAND NOT SUPPORT" (or "TOO MANY PARAMETERS"), not ERROR.
// - ^ICCID? reads EF-ICCID as stored, nibble-swapped (at-parse un-swaps "98..." ICCIDs).
// - The vendor's Windows dashboard leaves +CSCS="UCS2" saved, and some firmwares answer +CSCA /
//   +COPS / +CUSD in UCS-2 or packed GSM hex whatever +CSCS says (gammu's E1752/E160 dumps):
//   the driver sets +CSCS="IRA" and the parsers read hex where text is expected.
import { Quirk, type VendorProfile } from '../quirks.js';

export const huawei: VendorProfile = {
  name: 'huawei',
  quirks: Quirk.Ucs2Strings,
  finals: [['COMMAND NOT SUPPORT', 'error'], ['TOO MANY PARAMETERS', 'error']],
  noise: ['^MODE:', '^BOOT:', '^DSFLOWRPT:', '^SRVST:', '^SIMST:', '^CEND:', '^ORIG:', '^CONF:', '^CONN:', '^HCSQ:', '^SYSSTART', '^STIN:', '^NDISSTAT:', '^EONS:', '^NWTIME:', '^ACTIVEBAND:', '^RSSILVL:', '^CSNR:', '^ECCLIST:', '^CRSSI:', '^CERSSI:', '^LTERSRP:'],
  iccid: [{ command: 'AT^ICCID?', prefixes: ['^ICCID:'] }, { command: 'AT+CRSM=176,12258,0,0,10', prefixes: ['+CRSM:'] }],
  signalUrc: {
    prefix: '^RSSI:',
    rssi: (line) => {
      const m = /^\^RSSI:\s*(\d+)/i.exec(line);
      return m && Number(m[1]) <= 31 ? Number(m[1]) : null;
    },
  },
  bootUrcs: ['^SYSSTART'],
  async prepare(ctx) {
    if ((await ctx.tryCommand('AT^CURC=0')) === null) ctx.log.debug('modem refused AT^CURC=0; its status chatter is dropped instead');
  },
};
