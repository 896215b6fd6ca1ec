/**
 * `--watch`: calls back when the model file is replaced. `train --save` and `update --save`
 * write a temporary file and rename it over the model, which replaces the file's inode, so the
 * folder is watched (a watch on the file itself would follow the old, unlinked inode) and events
 * naming the model file trigger. Several events come for one save (the rename, attribute
 * changes); they are debounced into one call, after the folder has been quiet for `debounceMs`.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface ModelFileWatcher {
  close(): void;
}

/**
 * @example const watcher = watchModelFile('model.alsrec', 500, () => holder.reload()); ... watcher.close();
 */
export function watchModelFile(file: string, debounceMs: number, onReplaced: () => void, onError: (err: Error) => void = () => {}): ModelFileWatcher {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (changed !== null && changed.toString() !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onReplaced, debounceMs);
  });
  watcher.on('error', onError);
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
