/**
 * External id <-> dense index, both ways in O(1), for one side (users or items).
 *
 * A side is either all integers (`kind: 'int'`, ids in an Int32Array: today's fast path) or all
 * strings (`kind: 'string'`, ids exactly as given, e.g. `"00123"`). An id is identified by its
 * text: on an integer side the string `"196"` finds 196 (so URL path parameters and CLI
 * arguments work) but `"0196"` does not; on a string side the number 196 finds `"196"`.
 */
import type { ExternalId } from '../data/rawInteractions.js';
import { invalidOption, UnknownIdError, type IdKind } from '../errors.js';

/** The id list of a side: an Int32Array for integer ids, strings otherwise. */
export type IdList<Id extends ExternalId> = Id extends string ? readonly string[] : Int32Array;

/** The text of a whole number in the int32 range, written as JavaScript would (no sign on 0, no leading zeros). */
const CANONICAL_INT = /^(0|-?[1-9][0-9]{0,9})$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export class IdMap<Id extends ExternalId = ExternalId> {
  /** `'int'`: every id is an int32 number; `'string'`: every id is a string. */
  readonly kind: 'int' | 'string';
  /** Dense index -> external id. */
  readonly ids: IdList<Id>;
  private readonly indexOf: Map<Id, number>;

  private constructor(kind: 'int' | 'string', ids: IdList<Id>) {
    this.kind = kind;
    this.ids = ids;
    this.indexOf = new Map();
    const list = ids as unknown as ArrayLike<Id>;
    for (let i = 0; i < list.length; i++) this.indexOf.set(list[i]!, i);
  }

  /**
   * The distinct ids of `ids`, in ascending order (the same ids always give the same matrix).
   * @example IdMap.fromIds(Int32Array.of(196, 22, 196)).index(196, 'user') // 1
   */
  static fromIds(ids: ArrayLike<number>): IdMap<number> {
    const sorted = Int32Array.from(ids).sort();
    let unique = 0;
    for (let j = 0; j < sorted.length; j++) {
      if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[unique++] = sorted[j]!;
    }
    return new IdMap<number>('int', sorted.slice(0, unique));
  }

  /**
   * The distinct strings of `ids`, in ascending code-unit order (deterministic whatever the
   * event order).
   * @example IdMap.fromStringIds(['sku-9', 'sku-10', 'sku-9']).id(0) // 'sku-10'
   */
  static fromStringIds(ids: Iterable<string>): IdMap<string> {
    const unique = [...new Set(ids)].sort(compareCodeUnits);
    return new IdMap<string>('string', unique);
  }

  /** Builds from int ids already unique and in the order wanted (e.g. read back from a model file). */
  static fromOrderedIds(ids: Int32Array): IdMap<number> {
    return new IdMap<number>('int', ids);
  }

  /** Builds from string ids already unique and in the order wanted (e.g. read back from a model file). */
  static fromOrderedStringIds(ids: readonly string[]): IdMap<string> {
    return new IdMap<string>('string', ids);
  }

  /**
   * A map with `added` (new, distinct ids) appended after the existing ones: existing indices
   * never move. Each id must suit this side: an integer (or its text) on an integer side; on a
   * string side any id, kept as its text.
   * @throws InvalidOptionError naming `what` and the id that does not suit the side.
   * @example IdMap.fromIds([1, 2]).append(['3']).ids // Int32Array [1, 2, 3]
   */
  append(added: readonly ExternalId[], what: string): IdMap<Id> {
    if (added.length === 0) return this;
    const canonical = added.map((id) => {
      checkExternalId(id, what);
      const c = this.canonical(id);
      if (c === undefined) throw invalidOption(what, `an integer id (this side's ids are integers)`, id);
      return c;
    });
    if (this.kind === 'int') {
      const grown = new Int32Array(this.size + added.length);
      grown.set(this.ids as Int32Array);
      grown.set(canonical as number[], this.size);
      return new IdMap<Id>('int', grown as IdList<Id>);
    }
    return new IdMap<Id>('string', [...(this.ids as readonly string[]), ...(canonical as string[])] as unknown as IdList<Id>);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Whether this side knows `id` (by its text; see the file comment). */
  has(id: ExternalId): boolean {
    return this.tryIndex(id) >= 0;
  }

  /** Dense index of `id`, or -1 when absent. */
  tryIndex(id: ExternalId): number {
    // The hot path (building matrices from int columns): a number on an integer side is its own
    // key (Map.get finds no non-integer, and SameValueZero maps -0 to 0).
    if (typeof id === 'number' && this.kind === 'int') return this.indexOf.get(id as Id) ?? -1;
    const key = this.canonical(id);
    return key === undefined ? -1 : this.indexOf.get(key) ?? -1;
  }

  /** Dense index of `id`; throws {@link UnknownIdError} naming the id when absent. */
  index(id: ExternalId, kind: IdKind): number {
    const i = this.tryIndex(id);
    // Named as this side would hold it: "7777" asked of an integer side is user 7777, unquoted.
    if (i < 0) throw new UnknownIdError(kind, this.canonical(id) ?? id);
    return i;
  }

  /** External id at dense index `i`, exactly as given (a number on an integer side). */
  id(i: number): Id {
    return (this.ids as unknown as ArrayLike<Id>)[i]!;
  }

  /** Dense indices of many ids (throws on the first unknown one). */
  indices(ids: ArrayLike<ExternalId>, kind: IdKind): Int32Array {
    const out = new Int32Array(ids.length);
    for (let j = 0; j < ids.length; j++) out[j] = this.index(ids[j]!, kind);
    return out;
  }

  /**
   * `id` as this side holds it (the number of an integer text on an integer side, the text of a
   * number on a string side), or undefined when it cannot be one of this side's ids.
   * @example IdMap.fromIds([7]).canonical('7') // 7
   */
  canonical(id: ExternalId): Id | undefined {
    if (this.kind === 'int') {
      if (typeof id === 'number') return (isInt32(id) ? id : undefined) as Id | undefined;
      if (typeof id === 'string' && CANONICAL_INT.test(id)) {
        const n = Number(id);
        return (n >= INT32_MIN && n <= INT32_MAX ? n : undefined) as Id | undefined;
      }
      return undefined;
    }
    if (typeof id === 'string') return id as Id;
    return (typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined) as Id | undefined;
  }
}

/** The longest id, in UTF-16 code units of a string id (the loaders' and the model file's limit is 1 KiB of text). */
export const MAX_ID_LENGTH = 1024;

/**
 * Throws an InvalidOptionError naming `what` unless `id` can be an external id: an int32
 * integer, or a non-empty string of at most {@link MAX_ID_LENGTH} UTF-16 code units, without
 * lone surrogates.
 * @example checkExternalId('sku-9', 'item id') // passes
 */
export function checkExternalId(id: unknown, what: string): asserts id is ExternalId {
  if (isInt32(id)) return;
  // A lone surrogate has no UTF-8 form: it could not be saved and read back as itself.
  if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH && !LONE_SURROGATE.test(id)) return;
  throw invalidOption(what, `an id (a 32-bit integer, or a string of 1 to ${MAX_ID_LENGTH} characters of well-formed Unicode)`, typeof id === 'string' && id.length > 60 ? `${id.slice(0, 57)}...` : id);
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` has a UTF-8 form (no lone surrogates), so it saves and loads back as itself. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Whether `id` is a whole number in the int32 range. */
export function isInt32(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= INT32_MIN && id <= INT32_MAX;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
