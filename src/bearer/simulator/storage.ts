// The message memories of a virtual modem (27.005 "SM", "ME", "SR"...): fixed-size slot
// arrays numbered from the dialect's first index, holding PDUs with their <stat>.

/** <stat>: 0 received unread, 1 received read, 2 stored unsent, 3 stored sent. */
export type StoredStat = 0 | 1 | 2 | 3;

export interface StoredMessage {
  index: number;
  stat: StoredStat;
  /** PDU hex with the SMSC address prefix, as +CMGR shows it. */
  hex: string;
  /** <length>: TPDU octets. */
  length: number;
}

interface Slot {
  stat: StoredStat;
  hex: string;
  length: number;
}

/** Which <stat> values +CMGD=<index>,<delflag> deletes (27.005). */
const DELETE_FLAGS: Record<number, StoredStat[]> = { 1: [1], 2: [1, 3], 3: [1, 2, 3], 4: [0, 1, 2, 3] };

export class MessageMemories {
  private readonly memories = new Map<string, (Slot | null)[]>();

  constructor(capacity: Record<string, number>, names: string[], readonly firstIndex: 0 | 1) {
    for (const m of new Set(names)) this.memories.set(m, new Array<Slot | null>(capacity[m] ?? 20).fill(null));
  }

  has(memory: string): boolean {
    return this.memories.has(memory);
  }

  /** [used, total] of a memory, as +CPMS reports them. */
  usage(memory: string): [number, number] {
    const arr = this.memories.get(memory) ?? [];
    return [arr.filter((x) => x !== null).length, arr.length];
  }

  /** Stores a PDU in the first free slot; its index, or null when the memory is full. */
  store(memory: string, hex: string, length: number, stat: StoredStat): number | null {
    const arr = this.memories.get(memory);
    if (!arr) return null;
    const i = arr.indexOf(null);
    if (i < 0) return null;
    arr[i] = { stat, hex, length };
    return i + this.firstIndex;
  }

  /** The message at `index` (marking an unread one read, as +CMGR does), or null. */
  read(memory: string, index: number, markRead = true): StoredMessage | null {
    const arr = this.memories.get(memory);
    const i = index - this.firstIndex;
    const s = arr && i >= 0 && i < arr.length ? arr[i] : null;
    if (!s) return null;
    const out = { index, ...s };
    if (markRead && s.stat === 0) s.stat = 1;
    return out;
  }

  /** Messages with <stat> `stat` (4: all), marking unread ones read, as +CMGL does. */
  list(memory: string, stat: number, markRead = true): StoredMessage[] {
    const out: StoredMessage[] = [];
    (this.memories.get(memory) ?? []).forEach((s, i) => {
      if (!s || (stat !== 4 && s.stat !== stat)) return;
      out.push({ index: i + this.firstIndex, ...s });
      if (markRead && s.stat === 0) s.stat = 1;
    });
    return out;
  }

  /** Whether `index` is a slot of the memory. */
  valid(memory: string, index: number): boolean {
    const arr = this.memories.get(memory);
    const i = index - this.firstIndex;
    return arr !== undefined && i >= 0 && i < arr.length;
  }

  /** +CMGD: deletes `index` (flag 0), or by <stat> (flags 1-4). */
  delete(memory: string, index: number, flag = 0): void {
    const arr = this.memories.get(memory);
    if (!arr) return;
    if (flag === 0) {
      const i = index - this.firstIndex;
      if (i >= 0 && i < arr.length) arr[i] = null;
      return;
    }
    const drop = DELETE_FLAGS[flag] ?? [];
    arr.forEach((s, i) => {
      if (s && drop.includes(s.stat)) arr[i] = null;
    });
  }
}
