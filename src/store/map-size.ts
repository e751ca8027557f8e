// How large the store's two LMDB memory maps are. LMDB reads through a memory map that covers
// the whole data file, so the map is the most the store can hold and it costs address space up
// front (not memory: pages come in as they are read).
//
// What lmdb-js does when a map fills (measured with lmdb 3.5.6): it does not fail with
// MDB_MAP_FULL but maps the file again at twice the size in use, keeping the old maps for
// readers still on them (1 MiB written past 100 times: maps of 1, 2.3, 4.9, 9.8 and 20 MiB, all
// mapped at once). On 64 bits that is harmless; where address space is short, the new map
// cannot be made and the process dies with SIGSEGV (reproduced under `ulimit -v`). So a map
// size is not a limit by itself: the store enforces `store.mapSizeMiB` (capacity.ts refuses
// new messages before a map fills, as on a full disk) and maps are sized so that they fit.
import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;

/** Total for both environments when `store.mapSizeMiB` is `auto` and address space is plenty. */
export const AUTO_MAP_MIB = 8192;
/** What a 32-bit process may address on Raspberry Pi OS (3G/1G split; 4 GiB on a 64-bit kernel). */
const ADDRESS_SPACE_32 = 3072;
/** Left to Node itself (code, V8 heap, WASM memory, thread stacks) before the maps get their share. */
const NODE_ALLOWANCE_MIB = 1024;
/** The share of the rest the maps take: the other half is headroom (heap growth, a remap). */
const MAP_SHARE = 0.5;

const ARCH_64 = new Set(['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'mips64']);

export interface Platform {
  arch: string;
  /** RLIMIT_AS in bytes, or Infinity when unlimited. */
  addressLimit: number;
}

export interface MapSizes {
  /** The records' environment (`<path>/`): a quarter. */
  recordsMiB: number;
  /** The part payloads' environment (`<path>/parts/`): the rest. */
  partsMiB: number;
  totalMiB: number;
  /** The map sizes were lowered below the configured value to fit the address space. */
  lowered: boolean;
  /** One sentence: why these sizes. */
  why: string;
}

/** The soft RLIMIT_AS of this process, from /proc (Linux); Infinity when unlimited or unknown. */
function addressLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space'));
    const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
    return soft && /^\d+$/.test(soft) ? Number(soft) : Infinity;
  } catch {
    return Infinity;
  }
}

export function currentPlatform(): Platform {
  return { arch: process.arch, addressLimit: addressLimit() };
}

/**
 * The map sizes for a configured total (`store.mapSizeMiB`, a number or `auto`): `auto` is
 * 8 GiB on 64 bits; where the address space is short (a 32-bit process, or an RLIMIT_AS) the
 * maps get half of what is left after Node's own allowance, and a configured value above that
 * is lowered (and said so).
 */
export function chooseMapSizes(configured: number | 'auto', platform: Platform = currentPlatform()): MapSizes {
  const bits = ARCH_64.has(platform.arch) ? 64 : 32;
  const spaceMiB = Math.min(bits === 32 ? ADDRESS_SPACE_32 : Infinity, platform.addressLimit / MiB);
  const fitMiB = Number.isFinite(spaceMiB) ? Math.max(16, Math.floor(((spaceMiB - NODE_ALLOWANCE_MIB) * MAP_SHARE) / 16) * 16) : Infinity;
  const wanted = configured === 'auto' ? AUTO_MAP_MIB : configured;
  const totalMiB = Math.min(wanted, fitMiB);
  const lowered = configured !== 'auto' && totalMiB < configured;
  const recordsMiB = Math.max(4, Math.round(totalMiB / 4));
  const space = Number.isFinite(spaceMiB)
    ? `${bits}-bit ${platform.arch}, ${Math.round(spaceMiB)} MiB of address space${platform.addressLimit !== Infinity ? ' (RLIMIT_AS)' : ''}`
    : `${bits}-bit ${platform.arch}`;
  const why = lowered
    ? `store.mapSizeMiB ${configured} does not fit this process (${space}): lowered to ${totalMiB}`
    : `store.mapSizeMiB ${configured}${configured === 'auto' ? ` on ${space}` : ''}`;
  return { recordsMiB, partsMiB: totalMiB - recordsMiB, totalMiB, lowered, why };
}
