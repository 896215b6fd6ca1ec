/**
 * Test helper: feeds `bytes` to a chunk scanner cut at `cuts` (any offsets, in any order), carrying
 * each chunk's unfinished record over to the next, as the file readers do. `scan` gets the chunk
 * (carry first), whether it is the last, and the next line number; it returns how many bytes it
 * consumed and the next line number.
 */
export function feedInChunks(bytes: Buffer, cuts: readonly number[], scan: (data: Buffer, final: boolean, line: number) => { consumed: number; line: number }): void {
  let carry = Buffer.alloc(0);
  let line = 1;
  const ends = [...new Set(cuts.map((c) => Math.min(bytes.length, c)))].sort((a, b) => a - b);
  let from = 0;
  for (const end of [...ends, bytes.length]) {
    if (end <= from) continue;
    const data = Buffer.concat([carry, bytes.subarray(from, end)]);
    from = end;
    const result = scan(data, end === bytes.length, line);
    line = result.line;
    carry = Buffer.from(data.subarray(result.consumed));
  }
}
