// Quectel EC25/EG25-G (USB 2c7c:0125; AT on ttyUSB2, the PinePhone's modem) and relatives.
// URCs go to the port named by AT+QURCCFG="urcport" - "usbmodem" (ttyUSB3) on some firmware
// defaults, so an SMS indication may never reach the AT port we listen on: route them here.
// After power-on: RDY, +CFUN: 1, +CPIN: READY, +QUSIM: 1, +QIND: SMS DONE, +QIND: PB DONE.
// The ICCID comes from AT+QCCID.
import { Quirk, type VendorProfile } from '../quirks.js';

export const quectel: VendorProfile = {
  name: 'quectel',
  quirks: Quirk.SmsLateAfterBoot,
  finals: [],
  noise: ['+QIND:', '+QUSIM:', 'POWERED DOWN', '+QNWLOCK:'],
  iccid: [{ command: 'AT+QCCID', prefixes: ['+QCCID:'] }, { command: 'AT+CCID', prefixes: ['+CCID:'] }],
  bootUrcs: ['RDY'],
  async prepare(ctx) {
    await ctx.tryCommand('AT+QURCCFG="urcport","usbat"');
  },
};
