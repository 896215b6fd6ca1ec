/**
 * The CLI's one error handler: coded native failures (a C++ std::bad_alloc...) and V8 allocation
 * failures are one line without a stack, exit 1; a real bug still keeps its stack.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/handleError.js';
import { fromNativeError } from '../../src/als/nativeBackend.js';
import { AlsrecError } from '../../src/errors.js';

function report(err: unknown): { code: number; text: string } {
  const stream = new PassThrough();
  const code = reportError(err, stream);
  return { code, text: String(stream.read() ?? '') };
}

const oom = 'alsrec native: out of memory in topN; use fewer ids per call, fewer factors or a machine with more memory';

describe('reportError', () => {
  it('prints a coded native failure as one line, exit 1', () => {
    const err = Object.assign(new Error(oom), { code: 'ERR_ALSREC_NATIVE_OUT_OF_MEMORY' });
    expect(report(err)).toEqual({ code: 1, text: `alsrec: ${oom}\n` });
  });

  it('prints the AlsrecError the native backend maps it to the same way', () => {
    const mapped = fromNativeError(Object.assign(new Error(oom), { code: 'ERR_ALSREC_NATIVE_OUT_OF_MEMORY' }));
    expect(mapped).toBeInstanceOf(AlsrecError);
    expect(mapped).toMatchObject({ code: 'ERR_ALSREC_NATIVE_OUT_OF_MEMORY', message: oom });
    expect(report(mapped)).toEqual({ code: 1, text: `alsrec: ${oom}\n` });
  });

  it('prints a failed typed-array allocation as one line, exit 1', () => {
    expect(report(new RangeError('Array buffer allocation failed'))).toEqual({
      code: 1,
      text: 'alsrec: out of memory (Array buffer allocation failed); use a smaller -n, fewer factors or a machine with more memory\n',
    });
  });

  it('keeps the stack of an unexpected error (a bug to report)', () => {
    const { code, text } = report(new TypeError('x is undefined'));
    expect(code).toBe(1);
    expect(text).toMatch(/^alsrec: unexpected error \(please report it\): TypeError: x is undefined\n {4}at /);
  });
});
