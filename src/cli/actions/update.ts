/**
 * What `alsrec update` does (its options are declared in ../commands/update.ts). Users are solved
 * exactly against the fixed item factors; items the model has never seen are then solved
 * against the (updated) user factors, and the users who rated them are solved once more so their
 * factors see those items.
 */
import { count, seconds } from '../format.js';
import { readNewRatingsCsv, type NewRatings } from '../parseRatings.js';
import type { ALS } from '../../als/model.js';
import { confidenceProblem } from '../../als/confidenceMatrix.js';
import { AlsrecError } from '../../errors.js';
import { assertOutputPath } from '../parseOptionValue.js';
import { loadModelFromCli } from './recommend.js';
import type { UpdateValues } from '../commands/update.js';

/**
 * Refuses an id an integer-id side cannot hold (the text of an integer only), naming the file:
 * the ids of a side are all integers or all strings.
 */
function assertIdsFitTheModel(model: ALS, ratings: NewRatings, file: string): void {
  for (const [side, ids, map] of [['user', ratings.users, model.state.users], ['item', ratings.items, model.state.items]] as const) {
    const bad = ids.find((id) => map.canonical(id) === undefined);
    if (bad !== undefined) throw new AlsrecError(`${file}: the ${side} id ${JSON.stringify(bad)} is not an integer, and the model's ${side} ids are integers`, 'ERR_ALSREC_DATA');
  }
}

/** Refuses a rating whose confidence the float32 solvers cannot take, naming the file and the pair. */
function assertConfidencesInRange(model: ALS, ratings: NewRatings, file: string): void {
  for (let j = 0; j < ratings.ratings.length; j++) {
    const problem = confidenceProblem(model.options.alpha, ratings.ratings[j]!, model.options.convention);
    if (problem !== null) {
      throw new AlsrecError(`${file}: the rating of user ${ratings.users[j]}, item ${ratings.items[j]}: ${problem}; rescale the ratings`, 'ERR_ALSREC_DATA');
    }
  }
}

export interface UpdateSummary {
  readonly newUsers: number;
  readonly changedUsers: number;
  readonly newItems: number;
}

/**
 * Runs the command with the values commander parsed.
 * @example await runUpdate({ model: 'm.alsrec', ratings: 'new.csv', save: 'm2.alsrec' });
 */
export async function runUpdate(v: UpdateValues): Promise<void> {
  const started = performance.now();
  assertOutputPath('--save', v.save);
  const ratings = await readNewRatingsCsv(v.ratings);
  const model = await loadModelFromCli(v);
  assertIdsFitTheModel(model, ratings, v.ratings);
  assertConfidencesInRange(model, ratings, v.ratings);
  const summary = await applyNewRatings(model, ratings);
  await model.save(v.save);
  const merged = ratings.duplicatesMerged > 0 ? ` (${count(ratings.duplicatesMerged)} repeated ratings merged)` : '';
  process.stdout.write(
    `Updated ${v.model} with ${count(ratings.users.length)} ratings${merged}: ${count(summary.newUsers)} new users, `
    + `${count(summary.changedUsers)} changed users, ${count(summary.newItems)} new items; saved ${v.save} `
    + `(${seconds((performance.now() - started) / 1000)})\n`,
  );
}

/**
 * Applies `ratings` to `model` by partial fits: (1) every rating user against the known items,
 * (2) new items against the users, (3) users who rated new items again.
 * @example await applyNewRatings(model, await readNewRatingsCsv('new.csv'));
 */
export async function applyNewRatings(model: ALS, ratings: NewRatings): Promise<UpdateSummary> {
  const knownUsers = model.state.users;
  const knownItems = model.state.items;
  const userRows = new Map<string, Array<[string, number]>>();
  const newItemRows = new Map<string, Array<[string, number]>>();
  const ratersOfNewItems = new Set<string>();
  for (let j = 0; j < ratings.users.length; j++) {
    const user = ratings.users[j]!;
    const movie = ratings.items[j]!;
    const rating = ratings.ratings[j]!;
    if (!userRows.has(user)) userRows.set(user, []);
    if (knownItems.has(movie)) {
      userRows.get(user)!.push([movie, rating]);
    } else {
      if (!newItemRows.has(movie)) newItemRows.set(movie, []);
      newItemRows.get(movie)!.push([user, rating]);
      ratersOfNewItems.add(user);
    }
  }
  await model.partialFitUsers([...userRows.keys()], [...userRows.values()]);
  if (newItemRows.size > 0) {
    await model.partialFitItems([...newItemRows.keys()], [...newItemRows.values()]);
    const again = [...ratersOfNewItems];
    await model.partialFitUsers(again, again.map(() => []));
  }
  const newUsers = [...userRows.keys()].filter((u) => !knownUsers.has(u)).length;
  return { newUsers, changedUsers: userRows.size - newUsers, newItems: newItemRows.size };
}
