/**
 * Numbers and times read straight from a field's bytes, so an integer or a date never becomes a
 * string on the hot path. Anything unusual falls back to a strict regular expression on the text.
 */

const MAX_INT32 = 2147483647;
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The id rule: a field that is a canonical whole number from 0 to 2^31-1 (no sign, no leading
 * zero, so `"00123"` stays a string), optionally written as a float with a zero fraction
 * (`17850.0`, as pandas exports integer columns with gaps), is that integer; -1 otherwise.
 * @example parseIntegerId(Buffer.from('17850.0'), 0, 7) // 17850
 */
export function parseIntegerId(bytes: Uint8Array, start: number, end: number): number {
  if (start === end) return -1;
  let p = start;
  let value = 0;
  while (p < end) {
    const digit = bytes[p]! - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    p++;
  }
  const digits = p - start;
  if (digits === 0 || digits > 10 || (digits > 1 && bytes[start] === 48) || value > MAX_INT32) return -1;
  if (p === end) return value;
  if (bytes[p] !== 46 || p + 1 === end) return -1; // '.'
  for (let q = p + 1; q < end; q++) if (bytes[q] !== 48) return -1;
  return value;
}

/** Where the integer part of an id accepted by {@link parseIntegerId} ends (before a `.0` suffix). */
export function integerIdDigitsEnd(bytes: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end && bytes[p] !== 46) p++;
  return p;
}

/**
 * A decimal number (`3`, `-2.5`, `1e3`, `.5`), or NaN. Short plain decimals are parsed in place.
 * @example parseNumberBytes(Buffer.from('-2.5'), 0, 4) // -2.5
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start <= 15) {
    let p = start;
    const negative = p < end && bytes[p] === 45;
    if (negative) p++;
    const digitsStart = p;
    let whole = 0;
    while (p < end) {
      const digit = bytes[p]! - 48;
      if (digit < 0 || digit > 9) break;
      whole = whole * 10 + digit;
      p++;
    }
    if (p > digitsStart) {
      if (p === end) return negative ? -whole : whole;
      if (bytes[p] === 46) {
        const fractionStart = ++p;
        let fraction = 0;
        while (p < end) {
          const digit = bytes[p]! - 48;
          if (digit < 0 || digit > 9) break;
          fraction = fraction * 10 + digit;
          p++;
        }
        if (p === end) {
          const value = whole + fraction / POWERS_OF_TEN[p - fractionStart]!;
          return negative ? -value : value;
        }
      }
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);
  if (!NUMBER.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/**
 * Epoch milliseconds at or above this are read as milliseconds, below as seconds: 1e11 seconds is
 * the year 5138, while 1e11 ms is 1973, so no real timestamp is ambiguous.
 */
export const MILLISECONDS_THRESHOLD = 1e11;

/**
 * A time as seconds since the epoch, or NaN. Accepts epoch seconds or milliseconds (a plain
 * number, see {@link MILLISECONDS_THRESHOLD}), `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` and
 * ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]`; a time without a zone is read as UTC.
 * @example parseTimeBytes(Buffer.from('2010-12-01 08:26:00'), 0, 19) // 1291191960
 */
export function parseTimeBytes(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length >= 10 && bytes[start + 4] === 45 && bytes[start + 7] === 45) return parseIsoTime(bytes, start, end);
  const value = parseNumberBytes(bytes, start, end);
  if (value !== value) return NaN;
  return Math.abs(value) >= MILLISECONDS_THRESHOLD ? value / 1000 : value;
}

function digitsAt(bytes: Uint8Array, p: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const digit = bytes[p + k]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function parseIsoTime(bytes: Uint8Array, start: number, end: number): number {
  const year = digitsAt(bytes, start, 4);
  const month = digitsAt(bytes, start + 5, 2);
  const day = digitsAt(bytes, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  let seconds = daysFromCivil(year, month, day) * 86400;
  let p = start + 10;
  if (p === end) return seconds;
  if ((bytes[p] !== 32 && bytes[p] !== 84) || end - p < 6 || bytes[p + 3] !== 58) return NaN; // ' ' or 'T', HH:MM
  const hour = digitsAt(bytes, p + 1, 2);
  const minute = digitsAt(bytes, p + 4, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  seconds += hour * 3600 + minute * 60;
  p += 6;
  if (p < end && bytes[p] === 58) {
    const second = end - p >= 3 ? digitsAt(bytes, p + 1, 2) : -1;
    if (second < 0 || second > 60) return NaN;
    seconds += second;
    p += 3;
    if (p < end && (bytes[p] === 46 || bytes[p] === 44)) {
      const fractionStart = ++p;
      let fraction = 0;
      while (p < end && bytes[p]! >= 48 && bytes[p]! <= 57 && p - fractionStart < 9) fraction = fraction * 10 + (bytes[p++]! - 48);
      if (p === fractionStart) return NaN;
      seconds += fraction / 10 ** (p - fractionStart);
    }
  }
  if (p === end) return seconds;
  if (bytes[p] === 90 && p + 1 === end) return seconds; // 'Z'
  if ((bytes[p] === 43 || bytes[p] === 45) && end - p >= 3) {
    const sign = bytes[p] === 43 ? 1 : -1;
    const offsetHours = digitsAt(bytes, p + 1, 2);
    let q = p + 3;
    if (q < end && bytes[q] === 58) q++;
    const offsetMinutes = q === end ? 0 : end - q === 2 ? digitsAt(bytes, q, 2) : -1;
    if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return NaN;
    return seconds - sign * (offsetHours * 3600 + offsetMinutes * 60);
  }
  return NaN;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
