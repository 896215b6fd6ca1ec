/**
 * What `alsrec export-demo` does (its options are declared in ../commands/exportDemo.ts).
 */
import { ALS } from '../../als/model.js';
import { exportDemo } from '../../demo/exportDemo.js';
import { count } from '../format.js';
import type { ExportDemoValues } from '../commands/exportDemo.js';

/**
 * @example await runExportDemo({ model: 'model.alsrec', out: 'site' });
 */
export async function runExportDemo(v: ExportDemoValues): Promise<void> {
  const model = await ALS.load(v.model);
  const result = await exportDemo(model, v.out, v.title === undefined ? {} : { title: v.title });
  if (v.json) {
    process.stdout.write(`${JSON.stringify({ out: v.out, ...result }, null, 2)}\n`);
    return;
  }
  const lines = result.files.map((f) => `  ${f.name.padEnd(13)} ${count(f.bytes).padStart(11)} bytes`);
  process.stdout.write(`Wrote the static demo to ${v.out}:\n${lines.join('\n')}\n  total ${count(result.totalBytes)} bytes. Serve the folder with any static server and open index.html?user=ID.\n`);
}
