// Vendor profiles by name.
import type { VendorName, VendorProfile } from '../quirks.js';
import { generic } from './generic.js';
import { huawei } from './huawei.js';
import { quectel } from './quectel.js';
import { sierra } from './sierra.js';
import { simcom } from './simcom.js';

export const VENDORS: Readonly<Record<VendorName, VendorProfile>> = { generic, huawei, simcom, quectel, sierra };
