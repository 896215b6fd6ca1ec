import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveDataDir } from '../../src/data/resolveDataDir.js';
import { InvalidOptionError } from '../../src/errors.js';
import { fixtureDir } from './fixtureDir.js';

const HOW_TO =
  'Run "alsrec download ml-100k" to fetch MovieLens 100K into data/ml-100k, or point MOVIELENS_DIR (or --data) at a folder holding a copy.';

describe('resolveDataDir', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('should throw, saying how to get the data, when the explicit folder does not exist', () => {
    expect(() => resolveDataDir('/nonexistent/ml', {})).toThrow(
      `No MovieLens data: /nonexistent/ml (--data) does not exist. ${HOW_TO}`,
    );
  });

  it('should throw when MOVIELENS_DIR holds no ratings file', () => {
    const dir = fixtureDir({ 'README': 'nothing here' });
    expect(() => resolveDataDir(undefined, { MOVIELENS_DIR: dir })).toThrow(
      `No MovieLens data: ${dir} (MOVIELENS_DIR) holds no MovieLens ratings file (u.data, ratings.dat or ratings.csv). ${HOW_TO}`,
    );
  });

  it('should throw when the default folder is absent', () => {
    const cwd = fixtureDir({});
    vi.spyOn(process, 'cwd').mockReturnValue(cwd);
    expect(() => resolveDataDir(undefined, {})).toThrow(
      `No MovieLens data: ${join(cwd, 'data', 'ml-100k')} (the default location) does not exist. ${HOW_TO}`,
    );
  });

  it('prefers --data, then MOVIELENS_DIR, then data/ml-100k', () => {
    const explicit = fixtureDir({ 'ratings.csv': '' });
    const fromEnv = fixtureDir({ 'ratings.dat': '' });
    const cwd = fixtureDir({});
    mkdirSync(join(cwd, 'data', 'ml-100k'), { recursive: true });
    writeFileSync(join(cwd, 'data', 'ml-100k', 'u.data'), '');
    vi.spyOn(process, 'cwd').mockReturnValue(cwd);
    expect(resolveDataDir(explicit, { MOVIELENS_DIR: fromEnv })).toBe(explicit);
    expect(resolveDataDir(undefined, { MOVIELENS_DIR: fromEnv })).toBe(fromEnv);
    expect(resolveDataDir(undefined, { MOVIELENS_DIR: '' })).toBe(join(cwd, 'data', 'ml-100k'));
  });

  it('should throw a usage error for an empty --data instead of falling back to the default folder', () => {
    const cwd = fixtureDir({});
    mkdirSync(join(cwd, 'data', 'ml-100k'), { recursive: true });
    writeFileSync(join(cwd, 'data', 'ml-100k', 'u.data'), '');
    vi.spyOn(process, 'cwd').mockReturnValue(cwd);
    expect(() => resolveDataDir('', {})).toThrow(new InvalidOptionError('--data', 'Expected a folder path for --data but received "" of type string'));
    expect(() => resolveDataDir('  ', {})).toThrow('Expected a folder path for --data');
  });

  it('counts a ratings file that is a symlink loop as present, so reading it reports the loop', () => {
    const dir = fixtureDir({});
    symlinkSync(join(dir, 'u.data'), join(dir, 'u.data'));
    expect(resolveDataDir(dir, {})).toBe(dir);
  });

  it('returns an absolute path and reads process.env by default', () => {
    const dir = fixtureDir({ 'u.data': '' });
    vi.stubEnv('MOVIELENS_DIR', dir);
    try {
      expect(resolveDataDir()).toBe(resolve(dir));
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
