// A plain 27.007/27.005 modem: nothing beyond the standard.
import { Quirk, type VendorProfile } from '../quirks.js';

export const generic: VendorProfile = {
  name: 'generic',
  quirks: Quirk.None,
  finals: [],
  noise: [],
  iccid: [{ command: 'AT+CCID', prefixes: ['+CCID:'] }, { command: 'AT+ICCID', prefixes: ['+ICCID:'] }],
  bootUrcs: ['RDY'],
};
