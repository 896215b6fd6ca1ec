/**
 * `--watch`: calls back when the model file is replaced. `train --save` and `update --save`
 * write a temporary file and rename it over the model, which replaces the file's inode, so the
 * folder is watched (a watch on the file itself would follow the old, unlinked inode) and events
 * naming the model file trigger. Several events come for one save (the rename, attribute
 * changes); they are debounced into one call, after the folder has been quiet for `debounceMs`.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

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

/** A {@link ModelFileWatcher} that can be moved to another file: the one the server now serves. */
export interface ServedModelFileWatcher extends ModelFileWatcher {
  /** The file watched now. */
  readonly file: string;
  /** Watches `file` instead (after a reload switched to it); no-op when it is the same path. */
  follow(file: string): void;
}

/**
 * `--watch` across reloads: after `POST /admin/reload` switches the server to another file, the
 * file now served is the one whose replacement should reload, so the watch moves to it (the old
 * path may be deleted or rewritten by an unrelated job). A failed reload keeps the old model
 * serving, and so keeps watching its file.
 * @example const w = watchServedModelFile('a.alsrec', 500, reload); ...; w.follow('b.alsrec');
 */
export function watchServedModelFile(file: string, debounceMs: number, onReplaced: () => void, onError: (err: Error) => void = () => {}): ServedModelFileWatcher {
  let current = resolve(file);
  let inner = watchModelFile(current, debounceMs, onReplaced, onError);
  return {
    get file() {
      return current;
    },
    follow(next: string) {
      const path = resolve(next);
      if (path === current) return;
      const replacement = watchModelFile(path, debounceMs, onReplaced, onError);
      inner.close();
      inner = replacement;
      current = path;
    },
    close() {
      inner.close();
    },
  };
}
