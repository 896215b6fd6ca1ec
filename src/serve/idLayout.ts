/**
 * The id layout a server is started with, which every model it reloads must keep. The REST
 * routes parse path and body ids for one kind of id, the dashboard keeps the ids it has shown
 * (the selected user, the similar-item list), and clients and caches hold ids from earlier
 * answers: all of that assumes each side's ids stay integers, or stay strings. A model whose user
 * or item ids are of the other kind is refused by a reload (the old model keeps serving); serving
 * it needs a restart. A changed catalogue of the same kind (items added or dropped by a retrain)
 * is a normal reload: unknown ids then answer 404 and the ETag changes.
 */
import type { FittedState } from '../als/fittedState.js';

export type IdKind = 'integer' | 'string';

export interface IdLayout {
  readonly users: IdKind;
  readonly items: IdKind;
}

/** The kind of the ids of one side: integers are stored as an Int32Array, strings as strings. */
function kindOf(ids: ArrayLike<unknown>): IdKind {
  if (ids instanceof Int32Array || ids.length === 0) return 'integer';
  return typeof ids[0] === 'string' ? 'string' : 'integer';
}

/**
 * @example idLayoutOf(model.state); // { users: 'integer', items: 'integer' }
 */
export function idLayoutOf(state: Pick<FittedState, 'users' | 'items'>): IdLayout {
  return { users: kindOf(state.users.ids as ArrayLike<unknown>), items: kindOf(state.items.ids as ArrayLike<unknown>) };
}

/**
 * Why a model of layout `next` cannot replace the served one (layout `expected`), or null.
 * @example idLayoutMismatch({ users: 'integer', items: 'integer' }, { users: 'integer', items: 'string' });
 * // 'it has string item ids but the server was started with integer item ids ...'
 */
export function idLayoutMismatch(expected: IdLayout, next: IdLayout): string | null {
  const sides = (['users', 'items'] as const).filter((side) => expected[side] !== next[side]);
  if (sides.length === 0) return null;
  const describe = (l: IdLayout) => sides.map((side) => `${l[side]} ${side === 'users' ? 'user' : 'item'} ids`).join(' and ');
  return `it has ${describe(next)} but the server was started with ${describe(expected)} (the routes, the dashboard and clients expect those); restart the server to serve it`;
}
