/**
 * A string table keyed by bytes: each distinct id gets a code (0, 1, ... in first-seen order)
 * without building a JS string per occurrence. Open addressing over an Int32Array with FNV-1a
 * hashes; the distinct ids' bytes live in one growing arena, and strings are made once per
 * distinct id at the end.
 */

const EMPTY = -1;
/** FNV-1a's 32-bit offset basis and prime. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * @example
 * ```ts
 * const interner = new ByteInterner();
 * const bytes = Buffer.from('85123A,71053,85123A');
 * interner.intern(bytes, 0, 6); // 0
 * interner.intern(bytes, 7, 12); // 1
 * interner.intern(bytes, 13, 19); // 0
 * interner.strings(); // ['85123A', '71053']
 * ```
 */
export class ByteInterner {
  private slots: Int32Array;
  private mask: number;
  private arena: Buffer;
  private arenaUsed = 0;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  size = 0;

  constructor(expectedDistinct = 1024) {
    let capacity = 16;
    while (capacity < expectedDistinct * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.arena = Buffer.allocUnsafe(Math.max(1024, expectedDistinct * 8));
    this.offsets = new Int32Array(Math.max(16, expectedDistinct));
    this.lengths = new Int32Array(this.offsets.length);
    this.hashes = new Int32Array(this.offsets.length);
  }

  /** The code of `bytes[start, end)`, adding it when new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let p = start; p < end; p++) hash = Math.imul(hash ^ bytes[p]!, FNV_PRIME);
    return this.internHashed(bytes, start, end, hash);
  }

  /**
   * {@link intern} with the bytes' FNV-1a hash already known (`fnv1a(bytes, start, end)`, as a
   * scanner computes it while finding the field's end).
   */
  internHashed(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const { slots, mask, arena, offsets, lengths } = this;
    let slot = hash & mask;
    for (;;) {
      const code = slots[slot]!;
      if (code === EMPTY) break;
      if (lengths[code] === length && this.hashes[code] === hash) {
        const offset = offsets[code]!;
        let same = true;
        for (let k = 0; k < length; k++) {
          if (arena[offset + k] !== bytes[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return code;
      }
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, start, end, hash, slot);
  }

  /** The distinct ids as strings from code `from` on, index = code - `from`. */
  strings(encoding: 'utf8' | 'latin1' = 'utf8', from = 0): string[] {
    const out = new Array<string>(Math.max(0, this.size - from));
    for (let code = from; code < this.size; code++) {
      out[code - from] = this.arena.toString(encoding, this.offsets[code], this.offsets[code]! + this.lengths[code]!);
    }
    return out;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const code = this.size;
    const length = end - start;
    if (code === this.offsets.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
      this.hashes = grow(this.hashes);
    }
    if (this.arenaUsed + length > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + length));
      this.arena.copy(grown, 0, 0, this.arenaUsed);
      this.arena = grown;
    }
    for (let k = 0; k < length; k++) this.arena[this.arenaUsed + k] = bytes[start + k]!;
    this.offsets[code] = this.arenaUsed;
    this.lengths[code] = length;
    this.hashes[code] = hash;
    this.arenaUsed += length;
    this.slots[slot] = code;
    this.size = code + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let code = 0; code < this.size; code++) {
      let slot = this.hashes[code]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
