// SIMCom: SIM800/SIM900 (UART, 2G; often on a Pi's serial header, so the baud rate matters)
// and SIM7600 (USB 1e0e:9001, AT on ttyUSB2). After power-on they print RDY, +CFUN: 1,
// +CPIN: READY, Call Ready, SMS Ready; SMS commands may fail until "SMS Ready". SIM800 reads
// the ICCID with AT+CCID (bare digits), SIM7600 with AT+CICCID (+ICCID: ...).
import { Quirk, type VendorProfile } from '../quirks.js';

export const simcom: VendorProfile = {
  name: 'simcom',
  quirks: Quirk.SmsLateAfterBoot,
  finals: [],
  noise: ['Call Ready', 'SMS Ready', 'PB DONE', 'SMS DONE', '*PSUTTZ:', 'DST:', '+CIEV:'],
  iccid: [{ command: 'AT+CCID' }, { command: 'AT+CICCID', prefixes: ['+ICCID:'] }],
  bootUrcs: ['RDY'],
  // local time stamps from the network: the clock is set, *PSUTTZ / +CTZV / DST: report it
  networkTime: ['AT+CLTS=1'],
};
