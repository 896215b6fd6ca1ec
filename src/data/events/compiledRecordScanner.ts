/**
 * The fast record scanner's straight-line loop for one field layout: for a plan whose id sides
 * are integers, the record loop is generated once per layout (roles, delimiter, flags) with the
 * fields unrolled in their order, each parsed into a local, the way `ajv` and Fastify's
 * serializers compile their schemas. A loop over the fields with a dispatch on each field's kind
 * cannot keep the record in registers: on synth-10m's records the unrolled loop scans 2.2x faster
 * than the generic one (`node bench/parseSpeed.mjs`, README "Parsing").
 *
 * It accepts only records the generic loop would take as plain, and parses them to the same
 * values (digits are accumulated exactly: at most 15, all below 2^53). Anything else (a blank
 * line, a quote, a string or non-canonical id, another number notation, a weight the rules drop,
 * the end of the whole records, a full column) ends it at that record's start, for the generic
 * loop to handle. The generated text is built from this file's templates and numeric constants
 * only: no byte of the data or the options' text reaches it.
 */
import { FieldRole, type FastScanPlan } from './fastRecordScanner.js';
import { MILLISECONDS_THRESHOLD } from './parseFieldBytes.js';

/**
 * Scans plain records from `p` while `p < wholeEnd` (records before `wholeEnd` end in LF) and
 * `row < capacity`, writing row after row from `row`. Returns the offset it stopped at (a record's
 * start) and leaves the next free row in `out[0]`.
 */
export type PlainRecordLoop = (
  bytes: Uint8Array,
  p: number,
  wholeEnd: number,
  users: Int32Array,
  items: Int32Array,
  weights: Float32Array,
  times: Float64Array | null,
  row: number,
  capacity: number,
  out: Int32Array,
) => number;

const compiled = new Map<string, PlainRecordLoop>();

/**
 * The compiled loop for `plan` (id sides taken as integers), made on first use and cached by layout.
 * @example const loop = plainRecordLoop(fastPlan(4, { user: 0, item: 1, weight: 2, time: 3 }, 0x2c, -1, true, true, 'auto'));
 */
export function plainRecordLoop(plan: FastScanPlan): PlainRecordLoop {
  const key = `${Array.from(plan.roles).join('')}|${plan.delimiter}|${plan.delimiter2}|${+plan.quoting}|${+plan.positiveWeights}|${plan.timeUnit}`;
  let loop = compiled.get(key);
  if (loop === undefined) {
    // Source text from loopSource's templates and numbers only (see the file's comment).
    loop = new Function(`"use strict";\nreturn ${loopSource(plan)};`)() as PlainRecordLoop;
    compiled.set(key, loop);
  }
  return loop;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
/** As the generic loop: canonical integer ids up to 2^31 - 1, plain decimals up to 15 bytes. */
const MAX_INT32 = 2147483647;
const MAX_PLAIN_NUMBER_BYTES = 15;

/**
 * Accumulates the digits from `c` (the byte at `p`, minus '0') into the local `name`, two at a
 * time: `name * 100 + (c * 10 + d)` has one multiply-add on the chain per two digits where one
 * per digit made the chain (a double's multiply and add latencies) the scan's bound: 14-17%
 * faster on synth-10m's records in memory. `bytes[p + 1]` is read only after a digit at `p`, and
 * every record the loop reads ends in LF, so it stays inside the records.
 */
function digitsInto(name: 'user' | 'item' | 'value' | 'fraction'): string {
  return `while ((c >>> 0) <= 9) { const d = bytes[p + 1] - 48; if ((d >>> 0) > 9) { ${name} = ${name} * 10 + c; c = d; p++; break; } ${name} = ${name} * 100 + (c * 10 + d); p += 2; c = bytes[p] - 48; }`;
}

/** The loop's source text: numbers and fixed templates only. */
export function loopSource(plan: FastScanPlan): string {
  const int = (n: number) => {
    if (!Number.isInteger(n)) throw new TypeError(`not an integer: ${n}`);
    return String(n);
  };
  // `c` holds the current byte minus '0', so a digit is (c >>> 0) <= 9.
  const is = (byte: number) => `c === ${int(byte - ZERO)}`;
  const fail = '{ p = recordStart; break; }';
  const lastField = plan.roles.length - 1;
  const parts: string[] = [];
  plan.roles.forEach((role, f) => {
    parts.push(`// field ${f}`, 'fieldStart = p;', 'c = bytes[p] - 48;');
    if (role === FieldRole.User || role === FieldRole.Item) {
      const name = role === FieldRole.User ? 'user' : 'item';
      parts.push(
        digitsInto(name),
        'digits = p - fieldStart;',
        `if (digits === 0 || digits > 10 || (digits > 1 && bytes[fieldStart] === ${int(ZERO)}) || ${name} > ${int(MAX_INT32)}) ${fail}`,
      );
    } else if (role === FieldRole.Weight || role === FieldRole.Time) {
      const name = role === FieldRole.Weight ? 'weight' : 'time';
      parts.push(
        'value = 0;',
        `negative = ${is(MINUS)};`,
        'if (negative) c = bytes[++p] - 48;',
        'digitsStart = p;',
        digitsInto('value'),
        'digits = p - digitsStart;',
        `if (digits === 0) ${fail}`,
        `if (${is(DOT)}) {`,
        '  fractionStart = ++p;',
        '  fraction = 0;',
        '  c = bytes[p] - 48;',
        `  ${digitsInto('fraction')}`,
        `  if (p === fractionStart || p - fieldStart > ${int(MAX_PLAIN_NUMBER_BYTES)}) ${fail}`,
        '  value += fraction / POWERS_OF_TEN[p - fractionStart];',
        `} else if (digits > ${int(MAX_PLAIN_NUMBER_BYTES)}) ${fail}`,
        'if (negative) value = -value;',
      );
      if (role === FieldRole.Time && plan.timeUnit === 'auto') {
        parts.push(`if (value >= ${int(MILLISECONDS_THRESHOLD)} || value <= ${int(-MILLISECONDS_THRESHOLD)}) value /= 1000;`);
      }
      if (role === FieldRole.Weight && plan.positiveWeights) parts.push(`if (!(value > 0)) ${fail}`);
      parts.push(`${name} = value;`);
    } else {
      const stops = [is(plan.delimiter), is(LF), ...(plan.quoting ? [is(QUOTE)] : [])].join(' || ');
      parts.push(`while (!(${stops})) c = bytes[++p] - 48;`);
      if (plan.quoting) parts.push(`if (${is(QUOTE)}) ${fail}`);
    }
    if (f !== lastField) {
      parts.push(`if (!(${is(plan.delimiter)})) ${fail}`, 'p++;');
      if (plan.delimiter2 >= 0) parts.push(`if (bytes[p] !== ${int(plan.delimiter2)}) ${fail}`, 'p++;');
    } else {
      parts.push(
        `if (${is(LF)}) p++;`,
        `else if (${is(CR)} && bytes[p + 1] === ${int(LF)}) p += 2;`,
        `else ${fail}`,
      );
    }
  });
  return `function plainRecords(bytes, p, wholeEnd, users, items, weights, times, row, capacity, out) {
  const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
  let c = 0, fieldStart = 0, digitsStart = 0, digits = 0, fractionStart = 0, fraction = 0, value = 0, negative = false;
  while (p < wholeEnd && row < capacity) {
    const recordStart = p;
    let user = 0, item = 0, weight = 1, time = 0;
    ${parts.join('\n    ')}
    users[row] = user;
    items[row] = item;
    weights[row] = weight;
    if (times !== null) times[row] = time;
    row++;
  }
  out[0] = row;
  return p;
}`;
}
