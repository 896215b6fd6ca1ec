/** `alsrec export-demo` and `evaluate --save` on the command line (in-process): files, sizes, errors. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../helpers/runCaptured.js';
import { savedFixtureModel } from '../helpers/fixtureMl100k.js';

describe('alsrec export-demo', () => {
  it('writes the site and reports every file with its size (--json)', async () => {
    const { modelPath, model } = await savedFixtureModel();
    const out = join(mkdtempSync(join(tmpdir(), 'alsrec-export-demo-')), 'site');
    const r = await runCaptured('export-demo', '--model', modelPath, '--out', out, '--title', 'My: demo', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files.map((f: { name: string }) => f.name)).toEqual(['index.html', 'dashboard.css', 'demo.js', 'model.json', 'model.bin', 'README.md']);
    for (const f of doc.files) expect(readFileSync(join(out, f.name)).byteLength).toBe(f.bytes);
    const meta = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(meta.userIds).toEqual([...model.state.users.ids]);
    expect(meta.factors).toBe(model.options.factors);
    // (k floats per user and item) + CSR (users + 1 + 2 nnz), 4 bytes each
    const nnz = model.state.liked.indptr[model.state.liked.rows]!;
    expect(meta.binaryBytes).toBe(4 * ((model.state.users.size + model.state.items.size) * model.options.factors + model.state.users.size + 1 + 2 * nnz));
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/^---\ntitle: My  demo\n[\s\S]*\nsdk: static\napp_file: index.html\n/);
    expect(readFileSync(join(out, 'demo.js'), 'utf8')).not.toMatch(/\bimport\s*[{(*]|\brequire\(/);
  });

  it('refuses an --out that is a file (exit 2) and a missing model (exit 1), naming them', async () => {
    const { modelPath } = await savedFixtureModel();
    const file = join(mkdtempSync(join(tmpdir(), 'alsrec-export-demo-')), 'taken');
    writeFileSync(file, 'x');
    const r = await runCaptured('export-demo', '--model', modelPath, '--out', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Expected a folder for --out but received the file "${file}"`);
    const missing = await runCaptured('export-demo', '--model', join(tmpdir(), 'no-such-model.alsrec'), '--out', join(tmpdir(), 'never-written'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-model.alsrec');
    expect(existsSync(join(tmpdir(), 'never-written'))).toBe(false);
  });
});

describe('alsrec evaluate --save', () => {
  it('is refused with --report (exit 2) before any work', async () => {
    const r = await runCaptured('evaluate', '--report', '--save', join(tmpdir(), 'x.alsrec'), '--data', '/nonexistent');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--save cannot be combined with --report');
  });
});
