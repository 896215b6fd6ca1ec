/**
 * The main thread's columns for the ranges it parses, reused once a range is put in place. A
 * parsed range waits to be put in place while a range before it is still parsed elsewhere, so
 * the thread may need several sets; at most `most` are made, then `take` waits for one to come
 * back, or for `gone` (the workers have exited: nothing will come back, a set is made anyway), so
 * a stalled worker cannot make this thread buffer the whole file.
 */
import type { PreallocatedColumns } from '../eventColumnsBuilder.js';

export class RangeColumnsPool {
  private readonly free: PreallocatedColumns[] = [];
  private made = 0;
  private returned: (() => void) | null = null;

  /** `make` makes a set; `gone` settles once nothing can come back. */
  constructor(
    private readonly most: number,
    private readonly make: () => PreallocatedColumns,
    private readonly gone: Promise<unknown>,
  ) {}

  /** Sets made so far. */
  get count(): number {
    return this.made;
  }

  /**
   * A free set, a new one while fewer than `most` exist, else the next one given back.
   * @example const columns = await pool.take();
   */
  async take(): Promise<PreallocatedColumns> {
    let goneNow = false;
    while (this.free.length === 0 && this.made >= this.most && !goneNow) {
      goneNow = await Promise.race([new Promise<boolean>((resolve) => (this.returned = () => resolve(false))), this.gone.then(() => true, () => true)]);
      this.returned = null;
    }
    const columns = this.free.pop();
    if (columns !== undefined) return columns;
    this.made++;
    return this.make();
  }

  /** Gives a set back (its range is in place). */
  giveBack(columns: PreallocatedColumns): void {
    this.free.push(columns);
    this.returned?.();
  }
}
