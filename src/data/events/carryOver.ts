/**
 * The unfinished record at the end of a chunk, carried to the front of the next one in one
 * reusable buffer (a fresh Buffer.concat per chunk cost more in allocation than the parse).
 */
export class CarryOver {
  private work = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  /** The bytes to scan: the carried tail followed by `chunk` (just `chunk` when nothing is carried). */
  join(chunk: Buffer): Buffer {
    if (this.length === 0) return chunk;
    const total = this.length + chunk.length;
    if (total > this.work.length) {
      const grown = Buffer.allocUnsafe(Math.max(total, this.work.length * 2));
      this.work.copy(grown, 0, 0, this.length);
      this.work = grown;
    }
    chunk.copy(this.work, this.length);
    this.length = 0;
    return this.work.subarray(0, total);
  }

  /** Keeps `data[from, end)` for the next {@link join}. */
  keep(data: Buffer, from: number): void {
    const n = data.length - from;
    if (n > this.work.length) this.work = Buffer.allocUnsafe(Math.max(n, this.work.length * 2));
    if (data.buffer === this.work.buffer && data.byteOffset === this.work.byteOffset) this.work.copyWithin(0, from, data.length);
    else data.copy(this.work, 0, from);
    this.length = n;
  }

  /** What is carried (valid until the next call). */
  get pending(): Buffer {
    return this.work.subarray(0, this.length);
  }
}
