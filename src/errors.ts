/**
 * Error kinds of alsrec. The CLI maps them to exit codes in one place
 * (`src/cli/handleError.ts`): {@link InvalidOptionError} is a usage error (exit 2), every other
 * {@link AlsrecError} a runtime error (exit 1) printed as one line without a stack trace.
 */

/** Base class: an expected failure whose message is meant for the user as it is. */
export class AlsrecError extends Error {
  readonly code: string;
  constructor(message: string, code = 'ERR_ALSREC') {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option or argument the caller got wrong. */
export class InvalidOptionError extends AlsrecError {
  readonly option: string;
  constructor(option: string, message: string) {
    super(message, 'ERR_ALSREC_OPTION');
    this.option = option;
  }
}

/**
 * The one error factory for option validation (after sharp):
 * `Expected a finite number >= 0 for regularization but received -1`.
 */
export function invalidOption(option: string, expected: string, received: unknown): InvalidOptionError {
  return new InvalidOptionError(option, `Expected ${expected} for ${option} but received ${describe(received)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}" of type string`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object`;
  return `${String(value)} of type ${typeof value}`;
}

/** A data file that cannot be read: names the file and, when known, the line, quoting it. */
export class DataFormatError extends AlsrecError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, problem: string, text?: string) {
    const where = line === undefined ? file : `${file}:${line}`;
    const quoted = text === undefined ? '' : `: "${text.length > 120 ? `${text.slice(0, 117)}...` : text}"`;
    super(escapeControlCharacters(`${where}: ${problem}${quoted}`), 'ERR_ALSREC_DATA');
    this.file = file;
    this.line = line;
  }
}

/**
 * `text` with control characters (C0 but tab, DEL, C1) written as `\xHH`: a bad line quoted in a
 * message must not clear the terminal (`ESC[2J`), hide text or cut the line at a NUL.
 * @example escapeControlCharacters('1\x1b[2J') // '1\\x1b[2J'
 */
export function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Which side an id belongs to. (`'movie'` is the MovieLens loaders' word for an item.) */
export type IdKind = 'user' | 'item';

/**
 * A user or item id that the data or model does not know. A string id is quoted (so `"00123"`
 * and `123` read differently), control characters escaped, and cut after 120 characters.
 * @example new UnknownIdError('item', 'sku-9').message // 'Unknown item id "sku-9"'
 */
export class UnknownIdError extends AlsrecError {
  readonly kind: IdKind | 'movie';
  readonly id: number | string;
  /** `where` (optional) says where the id came from, e.g. `--ratings token "sku-9:4"`. */
  constructor(kind: IdKind | 'movie', id: number | string, where?: string) {
    const shown = typeof id === 'string' ? JSON.stringify(id.length > 120 ? `${id.slice(0, 117)}...` : id) : String(id);
    super(escapeControlCharacters(`Unknown ${kind} id ${shown}${where === undefined ? '' : ` (${where})`}`), 'ERR_ALSREC_UNKNOWN_ID');
    this.kind = kind;
    this.id = id;
  }
}

/** A numerical failure, with its location and a remedy. */
export class NumericalError extends AlsrecError {
  constructor(message: string) {
    super(message, 'ERR_ALSREC_NUMERICAL');
  }
}
