// Which vendor a modem is, apart from the drivers: from what it says about itself (+CGMI,
// +CGMM, ATI) and, where the port is known, from its USB ids. Unknown modems are 'generic'.
import type { VendorName } from './quirks.js';

export interface IdentityHints {
  manufacturer?: string | null;
  model?: string | null;
  /** Lines of an ATI answer. */
  ati?: string[] | null;
}

const RULES: [RegExp, VendorName][] = [
  [/huawei/i, 'huawei'],
  [/simcom|^sim(?:800|900|7[0-9]{3}|5[0-9]{3})/i, 'simcom'],
  [/quectel|^(?:ec2[0-9]|eg[0-9]{2}|bg[0-9]{2}|em[0-9]{2}|rm[0-9]{3}|m35|uc[0-9]{2})/i, 'quectel'],
  [/sierra/i, 'sierra'],
];

/** The vendor named by identity answers; the manufacturer wins over the model. */
export function detectVendor(h: IdentityHints): VendorName {
  for (const text of [h.manufacturer, h.model, ...(h.ati ?? [])]) {
    if (!text) continue;
    for (const [re, v] of RULES) if (re.test(text.trim())) return v;
  }
  return 'generic';
}

export interface UsbModem {
  vendorId: string;
  productId: string;
  vendor: VendorName;
  models: string;
  /** USB interface of the AT port where known (ttyUSB<n> order follows interfaces). */
  atInterface: number | null;
  note?: string;
}

/**
 * USB ids of modems the vendor files know (lsusb "vendor:product"). Interface numbers are the
 * usual ones and worth checking with `udevadm info` on the box; firmware-config's udev rules
 * name the AT port from them.
 */
export const USB_MODEMS: readonly UsbModem[] = [
  { vendorId: '12d1', productId: '1001', vendor: 'huawei', models: 'E169, E620, E1550 (modem mode)', atInterface: 2 },
  { vendorId: '12d1', productId: '1003', vendor: 'huawei', models: 'E220, E270', atInterface: 1 },
  { vendorId: '12d1', productId: '1436', vendor: 'huawei', models: 'E173, E1750 (modem mode)', atInterface: 2 },
  { vendorId: '12d1', productId: '1506', vendor: 'huawei', models: 'E3372 stick firmware, E398', atInterface: 2 },
  { vendorId: '12d1', productId: '1c05', vendor: 'huawei', models: 'E173s', atInterface: 2 },
  { vendorId: '12d1', productId: '14dc', vendor: 'huawei', models: 'E3372 HiLink', atInterface: null, note: 'HiLink firmware: no AT port; flash the stick firmware' },
  { vendorId: '1e0e', productId: '9001', vendor: 'simcom', models: 'SIM7600, SIM7100', atInterface: 2 },
  { vendorId: '2c7c', productId: '0125', vendor: 'quectel', models: 'EC25, EG25-G', atInterface: 2 },
  { vendorId: '2c7c', productId: '0121', vendor: 'quectel', models: 'EC21', atInterface: 2 },
  { vendorId: '2c7c', productId: '0296', vendor: 'quectel', models: 'BG96', atInterface: 2 },
  { vendorId: '1199', productId: '68c0', vendor: 'sierra', models: 'MC7304, MC7354', atInterface: 3 },
  { vendorId: '1199', productId: '9071', vendor: 'sierra', models: 'MC7455, EM7455', atInterface: 3 },
];

/** The modem behind a USB id, if known. */
export function usbModem(vendorId: string, productId: string): UsbModem | null {
  const v = vendorId.toLowerCase();
  const p = productId.toLowerCase();
  return USB_MODEMS.find((m) => m.vendorId === v && m.productId === p) ?? null;
}
