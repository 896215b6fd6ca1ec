/**
 * The confidences a fit trains on: alpha * rating, and with recency weighting a halving per
 * half-life of age, the age measured from each user's own latest rating.
 */
import { describe, expect, it } from 'vitest';
import { confidenceMatrix, MAX_CONFIDENCE } from '../../src/als/confidenceMatrix.js';
import { InvalidOptionError } from '../../src/errors.js';
import { buildInteractions } from '../../src/matrix/interactions.js';
import { ALS } from '../../src/als/model.js';

const DAY = 86_400;

/** User 1 rates at days 0, 1 and 3 (latest); user 2 only at day 10. Ratings 4, 2, 5 and 3. */
function interactions() {
  return buildInteractions({
    users: Int32Array.of(1, 1, 1, 2),
    items: Int32Array.of(30, 10, 20, 10),
    ratings: Float32Array.of(4, 2, 5, 3),
    timestamps: Float64Array.of(0, 1 * DAY, 3 * DAY, 10 * DAY),
  });
}

describe('confidenceMatrix', () => {
  it('is alpha * rating without recency weighting', () => {
    const C = confidenceMatrix(interactions(), 2, 0);
    expect(Array.from(C.data)).toEqual([4, 10, 8, 6]); // row 1 by movie 10, 20, 30; row 2
  });

  it('halves a confidence per half-life before the user\'s own latest rating', () => {
    const C = confidenceMatrix(interactions(), 2, 1);
    // user 1: movie 10 (day 1, 2 days old) 2*2/4, movie 20 (day 3, latest) 2*5, movie 30 (day 0) 2*4/8;
    // user 2's only rating is its own latest.
    expect(Array.from(C.data)).toEqual([1, 10, 1, 6]);
    const halfDay = confidenceMatrix(interactions(), 1, 0.5);
    expect(halfDay.data[0]).toBeCloseTo(2 / 16, 12);
  });

  it('keeps the pattern, and timestamps follow the CSR order of the entries', () => {
    const data = interactions();
    expect(Array.from(data.matrix.indices)).toEqual([0, 1, 2, 0]);
    expect(Array.from(data.timestamps!)).toEqual([DAY, 3 * DAY, 0, 10 * DAY]);
    const C = confidenceMatrix(data, 1, 3);
    expect(C.indices).toBe(data.matrix.indices);
    expect(C.indptr).toBe(data.matrix.indptr);
  });

  it('should throw when recency weighting is asked without timestamps', () => {
    const { timestamps: _t, ...untimed } = interactions();
    expect(() => confidenceMatrix(untimed, 1, 7)).toThrow(
      'Expected 0 (off) for interactions without a timestamp per rating for recencyHalfLife but received 7 of type number',
    );
    expect(() => new ALS({ recencyHalfLife: -1 })).toThrow('Expected a finite number >= 0 for recencyHalfLife but received -1 of type number');
  });
});

describe('ALS with recencyHalfLife', () => {
  it('trains on the decayed confidences: a stale rating moves the factors less', async () => {
    const data = interactions();
    const plain = await new ALS({ factors: 2, iterations: 3, backend: 'ts' }).fit(data);
    const recent = await new ALS({ factors: 2, iterations: 3, backend: 'ts', recencyHalfLife: 1 }).fit(data);
    expect(Array.from(recent.userFactors)).not.toEqual(Array.from(plain.userFactors));
    const same = await new ALS({ factors: 2, iterations: 3, backend: 'ts', recencyHalfLife: 1e12 }).fit(data);
    for (let j = 0; j < same.userFactors.length; j++) expect(same.userFactors[j]).toBeCloseTo(plain.userFactors[j]!, 5);
  });

  it('should throw on a partial fit, which would need the timestamps the model does not keep', async () => {
    const model = await new ALS({ factors: 2, iterations: 2, backend: 'ts', recencyHalfLife: 7 }).fit(interactions());
    await expect(model.partialFitUsers([3], [[[10, 5]]])).rejects.toThrow(
      "Partial fits need the ratings' timestamps when recencyHalfLife is set (7 days), and the model does not keep them; train a new model instead",
    );
  });
});

describe('confidenceMatrix bounds', () => {
  it('should refuse confidences too large for the float32 solvers, naming alpha and the largest confidence', () => {
    expect(MAX_CONFIDENCE).toBe(1e12);
    expect(() => confidenceMatrix(interactions(), 1e30, 0)).toThrow(new InvalidOptionError('alpha',
      'Expected alpha x |rating| <= 1e12 (confidences are float32 and the solvers square them) for alpha but received 1e+30 (largest confidence 5e+30; lower alpha or rescale the ratings)'));
    expect(() => confidenceMatrix(interactions(), 1e30, 1)).toThrow('for alpha but received 1e+30');
    expect(Math.max(...confidenceMatrix(interactions(), 2e11, 0).data)).toBe(Math.fround(1e12));
  });

  it('should refuse a rating of 1e20 at fit instead of training to non-finite factors', async () => {
    const data = buildInteractions({ users: Int32Array.of(1, 2), items: Int32Array.of(1, 2), ratings: Float32Array.of(1e20, 3), timestamps: Float64Array.of(0, 0) });
    await expect(new ALS({ backend: 'ts', factors: 2, iterations: 1 }).fit(data)).rejects.toThrow('for alpha but received 1 (largest confidence 1e+20;');
  });
});
