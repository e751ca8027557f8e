// Sierra Wireless MC7304/MC7354/MC7455 (USB 1199:68c0, 1199:9071; AT on ttyUSB2). They may come
// up with the radio off (+CFUN: 4, low power); SMS status reports can only be stored (+CNMI
// <ds> 2, +CDSI in "SR") on several firmwares. The ICCID is read with AT!ICCID?.
import { Quirk, type VendorProfile } from '../quirks.js';

export const sierra: VendorProfile = {
  name: 'sierra',
  quirks: Quirk.RadioOffAtBoot,
  finals: [],
  noise: ['+CIEV:', '!PCOFFEN', '+CTZV:'],
  iccid: [{ command: 'AT!ICCID?', prefixes: ['!ICCID:'] }, { command: 'AT+ICCID', prefixes: ['+ICCID:'] }],
  bootUrcs: [],
};
