/**
 * Refuses to pair a saved model with a dataset it was not trained on: the user ids, the movie
 * ids and the number of ratings must all agree (ids as sets, since incremental updates append).
 */
import type { Interactions } from '../matrix/interactions.js';
import type { IdMap } from '../matrix/idMap.js';
import { nnz } from '../matrix/csr.js';
import type { ALS } from './model.js';
import { AlsrecError } from '../errors.js';

/** A model used with data it was not trained on. */
export class ModelDataMismatchError extends AlsrecError {
  constructor(message: string) {
    super(message, 'ERR_ALSREC_MODEL_MISMATCH');
  }
}

/**
 * Throws {@link ModelDataMismatchError} unless `model` was trained on exactly `data` (same user
 * ids, same movie ids, same number of ratings).
 * @example assertModelMatchesData(await ALS.load('m.alsrec'), buildInteractions(dataset), 'm.alsrec', dataset.dir);
 */
export function assertModelMatchesData(model: ALS, data: Interactions, modelName: string, dataName: string): void {
  const s = model.state;
  const problems: string[] = [];
  const movies = differences(s.items, data.items);
  const users = differences(s.users, data.users);
  if (movies !== null) problems.push(`movie ids differ (${movies})`);
  if (users !== null) problems.push(`user ids differ (${users})`);
  const modelRatings = nnz(s.liked);
  const dataRatings = nnz(data.matrix);
  if (modelRatings !== dataRatings) problems.push(`the model holds ${modelRatings} ratings, the data ${dataRatings}`);
  if (problems.length > 0) {
    throw new ModelDataMismatchError(`${modelName} was not trained on ${dataName}: ${problems.join('; ')}`);
  }
}

/** null when the two maps hold the same ids, else a short description of the first difference. */
function differences(model: IdMap, data: IdMap): string | null {
  for (const id of data.ids) if (!model.has(id)) return `the data has id ${id}, the model does not; ${data.size} vs ${model.size} ids`;
  for (const id of model.ids) if (!data.has(id)) return `the model has id ${id}, the data does not; ${model.size} vs ${data.size} ids`;
  return null;
}
