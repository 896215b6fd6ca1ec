/**
 * Run-time dispatch across the x86-64 levels (src/als/native/addon.ts, native/cpu_check.cpp):
 * the loader picks the best level this CPU runs; ALSREC_ISA forces one; a level the CPU lacks is
 * refused by the module's own init (a NativeLoadError, never SIGILL: checked under valgrind, whose
 * CPU has no AVX-512); and the disassembly of each level holds no wider instruction than its name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addonCandidates, loadAddon, loadAddonVariant, nativeInfo, NativeLoadError } from '../../src/als/native/addon.js';
import { selectBackend } from '../../src/als/selectBackend.js';
import { cpuLevels, tryLoadAddon } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`variant dispatch tests skipped: ${reason}`);
const levels = cpuLevels();
const best = levels[levels.length - 1];
const custom = Boolean(process.env['ALSREC_NATIVE_PATH']);
const root = fileURLToPath(new URL('../../', import.meta.url));
const requireTools = process.env['CI'] === 'true';

function toolAvailable(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs `code` in a fresh Node process (with tsx-free plain ESM over dist/) with extra env. */
function inChild(script: string, env: Record<string, string>): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, ALSREC_NATIVE_PATH: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
const distLoader = `${root}dist/als/native/addon.js`;
const haveDist = existsSync(distLoader);
if (!haveDist) console.warn('variant dispatch child-process tests skipped: dist/ is not built (npm run build)');

describe.skipIf(addon === null || custom || levels.length === 0)('native variant dispatch (x86-64)', () => {
  it(`the default load is the best level this CPU has (${best}), unless a -march=native build exists`, () => {
    const info = nativeInfo()!;
    const expected = addonCandidates('native').length > 0 ? 'native' : best;
    expect(info.variant).toBe(expected);
    expect(loadAddon().build.variant).toBe(expected);
  });

  it('each level reports itself and the instruction sets it was compiled for', () => {
    const wide = { v2: 'sse4.2', v3: 'avx2', v4: 'avx512f' } as const;
    for (const v of levels) {
      const build = loadAddonVariant(v).build;
      expect(build.variant).toBe(v);
      expect(build.targetFeatures.split(' ')).toContain(wide[v]);
      if (v !== 'v4') expect(build.targetFeatures).not.toContain('avx512');
      if (v === 'v2') expect(build.targetFeatures).not.toMatch(/\bavx/);
    }
  });

  it.skipIf(!haveDist)('ALSREC_ISA forces a level; the library and the CLI report it', () => {
    for (const v of levels) {
      const r = inChild(`import { nativeInfo } from '${distLoader}'; console.log(nativeInfo().variant);`, { ALSREC_ISA: v });
      expect(r.stdout.trim(), r.stderr).toBe(v);
    }
    const version = spawnSync(process.execPath, [`${root}dist/cli/main.js`, '--version'], { env: { ...process.env, ALSREC_NATIVE_PATH: '', ALSREC_ISA: 'v3' }, encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+ \(native v3, (build|prebuild)\)$/);
  });

  it.skipIf(!haveDist)("a forced build that does not load is an error under backend 'auto', not a TS fallback", () => {
    const script = `import { selectBackend } from '${root}dist/als/selectBackend.js';
      try { console.log(selectBackend('auto').name); } catch (e) { console.log(e.code + ': ' + e.message.split('\\n')[0]); }`;
    const r = inChild(script, { ALSREC_NATIVE_PATH: '/nonexistent/alsrec_native.node' });
    expect(r.stdout.trim(), r.stderr).toMatch(/^ERR_ALSREC_NATIVE: The native backend is not available: The alsrec native addon could not be loaded/);
    expect(r.stderr).not.toContain('using the pure-TypeScript backend');
  });

  it('a malformed ALSREC_ISA is an error naming the variable, not a silent fallback', () => {
    const saved = process.env['ALSREC_ISA'];
    process.env['ALSREC_ISA'] = 'v5';
    try {
      expect(() => loadAddon()).toThrow('Expected one of v2, v3, v4, native for ALSREC_ISA but received "v5" of type string');
    } finally {
      if (saved === undefined) delete process.env['ALSREC_ISA'];
      else process.env['ALSREC_ISA'] = saved;
    }
    // The process-wide choice was made before; selectBackend is unaffected.
    expect(selectBackend('auto').name).toBe('native');
  });

  it('a variant that is not built is a NativeLoadError saying where it looked', () => {
    if (addonCandidates('native').length > 0) return; // a -march=native build exists here
    let error: unknown;
    try {
      loadAddonVariant('native');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NativeLoadError);
    expect((error as NativeLoadError).message).toMatch(/alsrec_native\.node: no such file/);
    expect((error as NativeLoadError).forced).toBe(true);
  });
});

describe.skipIf(addon === null || custom || levels.length === 0)('disassembly of the levels (objdump)', () => {
  const objdump = toolAvailable('objdump');
  if (!objdump && !requireTools) console.warn('disassembly checks skipped: binutils objdump is not installed');
  /** The mnemonic and operands of every instruction, one per line. */
  const disassemble = (file: string, symbol?: string) =>
    execFileSync('objdump', ['-d', '--no-show-raw-insn', ...(symbol ? [`--disassemble=${symbol}`] : []), file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
      .split('\n')
      .filter((l) => /^\s+[0-9a-f]+:\t/.test(l))
      .map((l) => l.split('\t').slice(1).join(' '));
  // AVX-512: a zmm register, an opmask ({%k1}, or a k register operand), the upper 16 xmm/ymm
  // registers (EVEX only), or a mnemonic that exists only in AVX-512.
  const avx512 = /zmm|%k[0-7]\b|%[xy]mm(1[6-9]|2[0-9]|3[01])\b|^k(mov|and|or|xor|not|test|shift|add|unpck)|^v(pternlog|permt2|permi2|rndscale|getexp|getmant|scalef|rcp14|rsqrt14|fixupimm|range|reduce|fpclass|p?compress|p?expand|align[dq]|pro[lr]|broadcast[if](32|64)x|pmov(s|us)?[qdw][bwd])/;
  // AVX (VEX or EVEX): every such mnemonic starts with v in AT&T syntax (verr/verw are not AVX).
  const avx = /^v(?!err|erw)|ymm/;
  const file = (v: string) => addonCandidates(v as 'v2').find((c) => c.source === 'build')?.path ?? addonCandidates(v as 'v2')[0]!.path;

  it.skipIf(!objdump && !requireTools)('v2 has no AVX or AVX-512 instruction; v3 has AVX2/FMA and no AVX-512; v4 has AVX-512', () => {
    const counts: Record<string, { avx: number; avx512: number; fma: number; total: number }> = {};
    for (const v of levels) {
      const lines = disassemble(file(v));
      counts[v] = {
        total: lines.length,
        avx: lines.filter((l) => avx.test(l)).length,
        avx512: lines.filter((l) => avx512.test(l)).length,
        fma: lines.filter((l) => /^vfn?m(add|sub)/.test(l)).length,
      };
      const offending = lines.filter((l) => (v === 'v4' ? false : avx512.test(l)) || (v === 'v2' && avx.test(l)));
      expect(offending.slice(0, 5), `${v}: ${offending.length} instructions beyond its level`).toEqual([]);
    }
    console.log(`instructions per level: ${JSON.stringify(counts)}`);
    if (counts['v3']) expect(counts['v3'].fma, 'v3 uses FMA').toBeGreaterThan(100);
    if (counts['v4']) expect(counts['v4'].avx512, 'v4 uses AVX-512').toBeGreaterThan(100);
  });

  it.skipIf(!objdump && !requireTools)('the code that runs before the CPU check (module registration, the check) is baseline in every level', () => {
    for (const v of levels) {
      for (const symbol of ['napi_register_module_v1', '_ZN6alsrec18missingCpuFeaturesEPcm']) {
        const lines = disassemble(file(v), symbol);
        expect(lines.length, `${v}: ${symbol} found`).toBeGreaterThan(0);
        expect(lines.filter((l) => avx.test(l)), `${v}: ${symbol}`).toEqual([]);
      }
      // No C++ dynamic initialization anywhere (it would run at dlopen, before the check): the
      // init array holds only the toolchain's frame_dummy and libgcc's baseline CPU probe.
      const symbols = execFileSync('nm', [file(v)], { encoding: 'utf8' });
      expect(symbols.split('\n').filter((l) => /_GLOBAL__sub_I_/.test(l)), v).toEqual([]);
    }
  });
});

describe.skipIf(addon === null || custom || !levels.includes('v3'))('a CPU without AVX-512 (valgrind)', () => {
  const valgrind = toolAvailable('valgrind');
  if (!valgrind && !requireTools) console.warn('valgrind dispatch test skipped: valgrind is not installed (CI installs it)');
  it.skipIf((!valgrind && !requireTools) || !haveDist)('the default load picks v3 and half-sweeps succeed; forcing v4 is a NativeLoadError, not a signal', () => {
    const probe = fileURLToPath(new URL('./fixtures/dispatchProbe.mjs', import.meta.url));
    const run = spawnSync('valgrind', ['--quiet', '--error-exitcode=99', '--trace-children=no', process.execPath, '--jitless', probe, distLoader, 'v4'], {
      cwd: root,
      env: { ...process.env, ALSREC_NATIVE_PATH: '', ALSREC_ISA: '' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    const detail = `exit ${run.status}, signal ${run.signal}; stderr: ${run.stderr.slice(-800)}`;
    expect(run.signal, detail).toBeNull();
    expect(run.status, detail).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      forced: { loaded: boolean; name?: string; code?: string; message?: string };
      variant: string;
      sweeps: Array<{ solver: string; finite: boolean; changed: boolean }>;
    };
    console.log(`under valgrind: ${JSON.stringify(result)}`);
    expect(result.forced.loaded).toBe(false);
    expect(result.forced.name).toBe('NativeLoadError');
    expect(result.forced.code).toBe('ERR_ALSREC_NATIVE_UNAVAILABLE');
    expect(result.forced.message).toMatch(/alsrec native variant v4 needs CPU features this machine lacks: .*avx512f/);
    expect(result.variant).toBe('v3');
    expect(result.sweeps).toEqual([
      { solver: 'cg', finite: true, changed: true },
      { solver: 'cholesky', finite: true, changed: true },
    ]);
  }, 600_000);
});
