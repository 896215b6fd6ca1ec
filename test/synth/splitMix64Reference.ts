/**
 * The synthetic-data spec written the obvious way, with BigInt: the oracle for the 32-bit-limb
 * implementation in src/synth. Slow, so only for small matrices.
 */
const MASK = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;

export function mix64Ref(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

export function rand64Ref(key: bigint, j: number): bigint {
  return mix64Ref((key + BigInt(j + 1) * GAMMA) & MASK);
}

export function unifRef(r: bigint): number {
  return Number(r >> 11n) * 2 ** -53;
}

/** The whole spec, returning rows as (column, value) lists in ascending column order. */
export function generateReference(users: number, items: number, nnz: number, seed: number): Array<Array<[number, number]>> {
  const s = BigInt(seed) << 32n;
  const keyAct = mix64Ref(s);
  const keyPerm = mix64Ref(s | 0xffffffffn);
  const nMax = Math.floor(items / 4);
  const w: number[] = [];
  let sumW = 0;
  for (let u = 0; u < users; u++) {
    const u1 = unifRef(rand64Ref(keyAct, 2 * u));
    const u2 = unifRef(rand64Ref(keyAct, 2 * u + 1));
    const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    w.push(Math.exp(1.2 * z));
    sumW += w[u]!;
  }
  const cdf: number[] = [];
  let acc = 0;
  for (let r = 0; r < items; r++) cdf.push((acc += 1.0 / (r + 1)));
  const total = cdf[items - 1]!;
  const keys = Array.from({ length: items }, (_, id) => rand64Ref(keyPerm, id));
  const perm = Array.from({ length: items }, (_, id) => id).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const rows: Array<Array<[number, number]>> = [];
  for (let u = 0; u < users; u++) {
    const nU = Math.min(Math.max(Math.floor((nnz * w[u]!) / sumW + 0.5), 5), nMax);
    const keyU = mix64Ref(s | BigInt(u + 1));
    const row = new Map<number, number>();
    for (let j = 0; row.size < nU; j++) {
      const r = rand64Ref(keyU, j);
      const t = unifRef(r) * total;
      const rank = cdf.findIndex((c) => c > t);
      const item = perm[rank]!;
      if (!row.has(item)) row.set(item, 1 + Number((r & 0x7ffn) % 5n));
    }
    rows.push([...row.entries()].sort((a, b) => a[0] - b[0]));
  }
  return rows;
}
