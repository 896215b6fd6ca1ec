import { describe, expect, it } from 'vitest';
import { splitCsvLine } from '../../src/data/splitCsvLine.js';

describe('splitCsvLine', () => {
  it('should report a quoted field not closed on its line', () => {
    expect(splitCsvLine('1,"Open, Ended (2001),Drama')).toEqual({
      ok: false,
      problem: 'quoted field 2 is not closed on this line (fields spanning lines are not supported)',
    });
  });

  it('should report text after a closing quote', () => {
    expect(splitCsvLine('1,"Title" (2001),Drama')).toEqual({ ok: false, problem: 'unexpected text after the closing quote of field 2' });
  });

  it('should report a quote inside an unquoted field', () => {
    expect(splitCsvLine('1,Say "Hi" (2001),Drama')).toEqual({ ok: false, problem: 'unexpected quote inside unquoted field 2' });
  });

  it('splits plain fields, keeping empty ones', () => {
    expect(splitCsvLine('a,b,c')).toEqual({ ok: true, fields: ['a', 'b', 'c'] });
    expect(splitCsvLine(',x,')).toEqual({ ok: true, fields: ['', 'x', ''] });
    expect(splitCsvLine('')).toEqual({ ok: true, fields: [''] });
  });

  it('unquotes fields with commas and doubled quotes', () => {
    expect(splitCsvLine('7,"Castle, The (1999)",Drama')).toEqual({ ok: true, fields: ['7', 'Castle, The (1999)', 'Drama'] });
    expect(splitCsvLine('8,"""Quoted"" Words, Part 2 (2004)",Comedy')).toEqual({
      ok: true,
      fields: ['8', '"Quoted" Words, Part 2 (2004)', 'Comedy'],
    });
    expect(splitCsvLine('"",""""')).toEqual({ ok: true, fields: ['', '"'] });
  });
});
