/**
 * Model ids → the movie objects the API returns (id, title, year, genres), looked up once per
 * movie in the model's movie table.
 */
import type { ALS, Recommendation } from '../als/model.js';

export interface MovieView {
  movieId: number;
  title: string;
  year: number | null;
  genres: readonly string[];
}

export type ScoredMovieView = MovieView & { score: number };

/** One movie as the API shows it; a movie without metadata keeps its `unknown movie N` title. */
export function movieView(model: ALS, movieId: number): MovieView {
  const movie = model.state.movies.get(movieId);
  return { movieId, title: movie?.title ?? model.title(movieId), year: movie?.year ?? null, genres: movie?.genres ?? [] };
}

/** Ranked model output with the movies' details. */
export function scoredMovies(model: ALS, ranked: readonly Recommendation[]): ScoredMovieView[] {
  return ranked.map((r) => ({ ...movieView(model, r.itemId), score: r.score }));
}
