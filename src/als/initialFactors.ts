/**
 * Seeded initial factors, uniform in [0, 0.01) as in implicit 0.7 (`random(...) * 0.01`).
 * PRNG: mulberry32 (Tommy Ettinger's 32-bit generator): small, fast and fully specified, so
 * another implementation can reproduce our starting point. Item factors are drawn first, then
 * user factors, each row-major.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InitialFactors {
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
}

export function initialFactors(users: number, items: number, k: number, seed: number): InitialFactors {
  const itemFactors = new Float32Array(items * k);
  const userFactors = new Float32Array(users * k);
  // mulberry32 inlined (the same sequence as the closure above): a call per number costs more
  // than the generator itself at millions of factors.
  let a = seed >>> 0;
  for (const out of [itemFactors, userFactors]) {
    for (let j = 0; j < out.length; j++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[j] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 0.01;
    }
  }
  return { userFactors, itemFactors };
}
