import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectVendor, usbModem } from '../../src/bearer/modem/detect.js';
import { siblingPorts } from '../../src/bearer/modem/port.js';
import { Quirk } from '../../src/bearer/modem/quirks.js';
import { VENDORS } from '../../src/bearer/modem/vendors/index.js';
import { DIALECTS } from '../../src/bearer/simulator/index.js';

describe('vendor detection', () => {
  it('names the vendor from +CGMI / +CGMM answers real modems give', () => {
    expect(detectVendor({ manufacturer: 'huawei', model: 'E173' })).toBe('huawei');
    expect(detectVendor({ manufacturer: 'HUAWEI', model: 'E3372' })).toBe('huawei');
    expect(detectVendor({ manufacturer: 'SIMCOM_Ltd', model: 'SIMCOM_SIM800L' })).toBe('simcom');
    expect(detectVendor({ manufacturer: 'SIMCOM INCORPORATED', model: 'SIMCOM_SIM7600E-H' })).toBe('simcom');
    expect(detectVendor({ manufacturer: 'Quectel', model: 'EC25' })).toBe('quectel');
    expect(detectVendor({ manufacturer: null, model: 'EG25' })).toBe('quectel');
    expect(detectVendor({ manufacturer: 'Sierra Wireless, Incorporated', model: 'MC7455' })).toBe('sierra');
    expect(detectVendor({ manufacturer: 'Nokia', model: 'Nokia 5210' })).toBe('generic');
    expect(detectVendor({ ati: ['Manufacturer: huawei', 'Model: E1752'] })).toBe('huawei');
    expect(detectVendor({})).toBe('generic');
  });

  it('detects every simulated dialect as itself', () => {
    for (const d of Object.values(DIALECTS)) expect(detectVendor({ manufacturer: d.manufacturer, model: d.model })).toBe(d.name);
  });

  it('knows the USB ids of the vendor files, and the HiLink trap', () => {
    expect(usbModem('12D1', '1506')).toMatchObject({ vendor: 'huawei', atInterface: 2 });
    expect(usbModem('12d1', '14dc')).toMatchObject({ vendor: 'huawei', atInterface: null });
    expect(usbModem('2c7c', '0125')?.vendor).toBe('quectel');
    expect(usbModem('1199', '9071')?.vendor).toBe('sierra');
    expect(usbModem('1e0e', '9001')?.vendor).toBe('simcom');
    expect(usbModem('dead', 'beef')).toBeNull();
  });

  it('gives each vendor file its quirks and ICCID command', () => {
    expect(VENDORS.huawei.finals.map(([t]) => t)).toContain('COMMAND NOT SUPPORT');
    expect(VENDORS.huawei.iccid[0].command).toBe('AT^ICCID?');
    expect(VENDORS.quectel.iccid[0].command).toBe('AT+QCCID');
    expect(VENDORS.sierra.quirks & Quirk.RadioOffAtBoot).toBeTruthy();
    expect(VENDORS.simcom.quirks & Quirk.SmsLateAfterBoot).toBeTruthy();
    expect(VENDORS.huawei.signalUrc?.rssi('^RSSI:17')).toBe(17);
    expect(VENDORS.huawei.signalUrc?.rssi('^RSSI:99')).toBeNull();
  });
});

describe('where to look for a vanished port', () => {
  it('lists the siblings with the same stem, the configured one first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsc-ports-'));
    try {
      for (const n of ['ttyUSB0', 'ttyUSB2', 'ttyUSB10', 'ttyACM0', 'ttyUSBx']) writeFileSync(join(dir, n), '');
      expect(siblingPorts(join(dir, 'ttyUSB2'))).toEqual([join(dir, 'ttyUSB2'), join(dir, 'ttyUSB0'), join(dir, 'ttyUSB10')]);
      expect(siblingPorts(join(dir, 'ttyUSB5'))).toEqual([join(dir, 'ttyUSB0'), join(dir, 'ttyUSB2'), join(dir, 'ttyUSB10')]);
      expect(siblingPorts(join(dir, 'nothere', 'ttyUSB0'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
