/**
 * External id <-> dense index, both ways in O(1). Indices follow ascending numeric id, so the
 * same ids always give the same matrix.
 */
import { UnknownIdError } from '../errors.js';

export class IdMap {
  /** Dense index -> external id, ascending. */
  readonly ids: Int32Array;
  private readonly indexOf: Map<number, number>;

  private constructor(sortedUniqueIds: Int32Array) {
    this.ids = sortedUniqueIds;
    this.indexOf = new Map();
    for (let i = 0; i < sortedUniqueIds.length; i++) this.indexOf.set(sortedUniqueIds[i]!, i);
  }

  /**
   * The distinct ids of `ids`, in ascending order.
   * @example IdMap.fromIds(Int32Array.of(196, 22, 196)).indexOf(196) // 1
   */
  static fromIds(ids: ArrayLike<number>): IdMap {
    const sorted = Int32Array.from(ids).sort();
    let unique = 0;
    for (let j = 0; j < sorted.length; j++) {
      if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[unique++] = sorted[j]!;
    }
    return new IdMap(sorted.slice(0, unique));
  }

  /** Builds from ids already unique and in the order wanted (e.g. read back from a model file). */
  static fromOrderedIds(ids: Int32Array): IdMap {
    return new IdMap(ids);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: number): boolean {
    return this.indexOf.has(id);
  }

  /** Dense index of `id`, or -1 when absent. */
  tryIndex(id: number): number {
    return this.indexOf.get(id) ?? -1;
  }

  /** Dense index of `id`; throws {@link UnknownIdError} naming the id when absent. */
  index(id: number, kind: 'user' | 'movie'): number {
    const i = this.indexOf.get(id);
    if (i === undefined) throw new UnknownIdError(kind, id);
    return i;
  }

  /** External id at dense index `i`. */
  id(i: number): number {
    return this.ids[i]!;
  }

  /** Dense indices of many ids (throws on the first unknown one). */
  indices(ids: ArrayLike<number>, kind: 'user' | 'movie'): Int32Array {
    const out = new Int32Array(ids.length);
    for (let j = 0; j < ids.length; j++) out[j] = this.index(ids[j]!, kind);
    return out;
  }
}
