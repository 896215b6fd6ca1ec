/** Temporary folders of hand-written MovieLens-shaped files (never copies of the real data). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (name → text or bytes) into a fresh temporary folder removed after the test. */
export function fixtureDir(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'alsrec-data-'));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** One u.item line: id|title|date||url|flags, with the genres at `flagged` positions set. */
export function itemLine(id: number, title: string, date: string, flagged: readonly number[], genreCount = 19): string {
  const flags = Array.from({ length: genreCount }, (_, g) => (flagged.includes(g) ? '1' : '0'));
  return [String(id), title, date, '', `http://example.test/${id}`, ...flags].join('|');
}

/** A small u.genre naming 19 genres with the ML-100K names' shape. */
export const GENRE_FILE = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama',
  'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
].map((name, index) => `${name}|${index}`).join('\n') + '\n\n';

/** Asserts that `promise` rejects with a DataFormatError whose message is exactly `message`. */
export async function expectDataFormatError(promise: Promise<unknown>, message: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'DataFormatError', message });
}
