/**
 * An RFC 4180 field splitter for one line of a comma-separated file (movies.csv titles are quoted
 * when they hold a comma, with `""` for a quote inside). Records spanning lines are not supported.
 */

export type CsvLineSplit = { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly problem: string };

const QUOTE = 34;
const COMMA = 44;

/**
 * Splits one CSV line (without its line end) into fields, unquoting quoted ones. A quote inside an
 * unquoted field, text after a closing quote, or a quoted field that is not closed on this line is
 * a problem, reported rather than guessed at.
 *
 * @example
 * ```ts
 * splitCsvLine('11,"American President, The (1995)",Comedy|Drama|Romance');
 * // { ok: true, fields: ['11', 'American President, The (1995)', 'Comedy|Drama|Romance'] }
 * ```
 */
export function splitCsvLine(line: string): CsvLineSplit {
  const fields: string[] = [];
  let p = 0;
  for (;;) {
    if (line.charCodeAt(p) === QUOTE) {
      let value = '';
      let from = p + 1;
      for (;;) {
        const close = line.indexOf('"', from);
        if (close === -1) {
          return { ok: false, problem: `quoted field ${fields.length + 1} is not closed on this line (fields spanning lines are not supported)` };
        }
        value += line.slice(from, close);
        if (line.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        p = close + 1;
        break;
      }
      fields.push(value);
      if (p === line.length) return { ok: true, fields };
      if (line.charCodeAt(p) !== COMMA) {
        return { ok: false, problem: `unexpected text after the closing quote of field ${fields.length}` };
      }
      p++;
    } else {
      let end = line.indexOf(',', p);
      if (end === -1) end = line.length;
      const quote = line.indexOf('"', p);
      if (quote !== -1 && quote < end) {
        return { ok: false, problem: `unexpected quote inside unquoted field ${fields.length + 1}` };
      }
      fields.push(line.slice(p, end));
      if (end === line.length) return { ok: true, fields };
      p = end + 1;
    }
  }
}
