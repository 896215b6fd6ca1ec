/**
 * Parsers for CLI option strings. They reuse the library's validators, so `--factors 0` and
 * `new ALS({ factors: 0 })` give the same message.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidOptionError, invalidOption } from '../errors.js';
import { MAX_ID_LENGTH } from '../matrix/idMap.js';

export function parseInteger(option: string, text: string, min = -Infinity, max = Infinity): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = min === -Infinity && max === Infinity ? '' : min === -Infinity ? ` <= ${max}` : max === Infinity ? ` >= ${min}` : ` between ${min} and ${max}`;
    throw invalidOption(option, `an integer${range}`, text);
  }
  return value;
}

/**
 * A user or item id as typed: its text, trimmed, 1 to MAX_ID_LENGTH characters. The model's id
 * map resolves it (`"196"` is user 196 of an integer-id model; `"00123"` stays `"00123"`).
 * @example parseId('--user', 'u-7f3a') // 'u-7f3a'
 */
export function parseId(option: string, text: string): string {
  const id = text.trim();
  if (id.length === 0 || id.length > MAX_ID_LENGTH) throw invalidOption(option, `an id of 1 to ${MAX_ID_LENGTH} characters`, text);
  return id;
}

/**
 * Checks an output path before any work, so a long training run cannot end in a failed write:
 * not empty, its folder exists, and it is not itself a folder.
 * @example assertOutputPath('--save', 'model.alsrec');
 */
export function assertOutputPath(option: string, path: string): void {
  if (path.trim() === '') throw invalidOption(option, 'a file path', path);
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new InvalidOptionError(option, `Expected a file in an existing folder for ${option} but received "${path}" (no folder ${folder})`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InvalidOptionError(option, `Expected a file path for ${option} but received the folder "${path}"`);
  }
}

export function parseNumber(option: string, text: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw invalidOption(option, 'a finite number', text);
  return value;
}

/** A comma-separated list, e.g. `--k 5,10,20`. */
export function parseList<T>(option: string, text: string, parse: (option: string, item: string) => T): T[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw invalidOption(option, 'a comma-separated list without empty items', text);
  return parts.map((p) => parse(option, p));
}
