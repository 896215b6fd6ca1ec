/**
 * Parsers for CLI option strings. They reuse the library's validators, so `--factors 0` and
 * `new ALS({ factors: 0 })` give the same message.
 */
import { invalidOption } from '../errors.js';

export function parseInteger(option: string, text: string, min = -Infinity, max = Infinity): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    throw invalidOption(option, `an integer ${range}`, text);
  }
  return value;
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
