/**
 * `alsrec export-demo`: a static site (page, browser bundle, model data) that recommends, finds
 * similar items, folds in a visitor's ratings and explains, all in the browser. The work is in
 * ../actions/exportDemo.ts, loaded only when the command runs.
 */
import { Command } from 'commander';

export interface ExportDemoValues {
  model: string;
  out: string;
  title?: string;
  json?: boolean;
}

export function exportDemoCommand(): Command {
  return new Command('export-demo')
    .description('write a static demo site of a model: index.html, the browser bundle and the model data (host it anywhere static, e.g. a Hugging Face static Space)')
    .requiredOption('--model <file>', 'the model file (alsrec train --save)')
    .requiredOption('--out <dir>', 'the folder to write (created if missing; files of the same names are replaced)')
    .option('--title <text>', 'the Space title in the README.md front matter', 'alsrec demo')
    .option('--json', 'print one JSON document on stdout: the files written and their sizes')
    .addHelpText('after', '\nExamples:\n  $ alsrec export-demo --model model.alsrec --out site\n  $ npx http-server site   # or any static server; open http://127.0.0.1:8080/?user=196\n')
    .action(async (values: ExportDemoValues) => (await import('../actions/exportDemo.js')).runExportDemo(values));
}
