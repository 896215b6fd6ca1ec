/**
 * One side's id columns from several parsed chunks joined into one, in chunk order. All-integer
 * parts are concatenated; as soon as one part holds strings, every part is re-coded into one
 * string table (a Map look-up per distinct id of a part, then one pass over its codes).
 */
import type { IdColumn } from '../../rawInteractions.js';

/** The joined column, and per part how its own keys (int id or local code) map to the result's. */
export interface MergedIdColumn {
  readonly column: IdColumn;
  /** `key(part, localKey)`: the merged key (int id, or merged string code) of a part's key. */
  readonly key: (part: number, localKey: number) => number;
}

/**
 * Codes already in `into` at their place are rewritten in place (each is read before it is written).
 * @example mergeIdColumns([{ kind: 'int', values: Int32Array.of(1) }, { kind: 'string', codes: Int32Array.of(0), table: ['a'] }]).column
 * // { kind: 'string', codes: Int32Array [0, 1], table: ['1', 'a'] }
 */
export function mergeIdColumns(parts: readonly IdColumn[], into?: Int32Array): MergedIdColumn {
  const total = parts.reduce((n, part) => n + (part.kind === 'int' ? part.values.length : part.codes.length), 0);
  // `into` (at least `total` long) may already hold some parts at their place: they are not copied.
  const out = into === undefined ? new Int32Array(total) : into.subarray(0, total);
  if (parts.every((part) => part.kind === 'int')) {
    let offset = 0;
    for (const part of parts) {
      if (part.kind !== 'int') continue;
      if (!isAt(part.values, out, offset)) out.set(part.values, offset);
      offset += part.values.length;
    }
    return { column: { kind: 'int', values: out }, key: (_part, id) => id };
  }
  const table: string[] = [];
  const codeOf = new Map<string, number>();
  const intern = (id: string): number => {
    let code = codeOf.get(id);
    if (code === undefined) {
      code = table.length;
      table.push(id);
      codeOf.set(id, code);
    }
    return code;
  };
  const remaps: (Int32Array | null)[] = [];
  let offset = 0;
  for (const part of parts) {
    if (part.kind === 'string') {
      const remap = new Int32Array(part.table.length);
      for (let code = 0; code < part.table.length; code++) remap[code] = intern(part.table[code]!);
      remaps.push(remap);
      const codes = part.codes;
      for (let j = 0; j < codes.length; j++) out[offset + j] = remap[codes[j]!]!;
      offset += codes.length;
    } else {
      remaps.push(null);
      const values = part.values;
      let last = -1;
      let lastCode = -1;
      for (let j = 0; j < values.length; j++) {
        if (values[j] !== last) {
          last = values[j]!;
          lastCode = intern(String(last));
        }
        out[offset + j] = lastCode;
      }
      offset += values.length;
    }
  }
  return {
    column: { kind: 'string', codes: out, table },
    key: (part, localKey) => {
      const remap = remaps[part];
      return remap === null || remap === undefined ? intern(String(localKey)) : remap[localKey]!;
    },
  };
}

/**
 * Whether `part` is `out[offset, offset + part.length)`, in the same memory.
 * @example isAt(a.subarray(3, 5), a, 3) // true
 */
export function isAt(part: Int32Array | Float32Array | Float64Array, out: Int32Array | Float32Array | Float64Array, offset: number): boolean {
  return part.buffer === out.buffer && part.byteOffset === out.byteOffset + offset * out.BYTES_PER_ELEMENT;
}
