import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type ListedPath = { ok: true; path: string } | { ok: false; path: string; reason: string };

/**
 * Expands command-line paths into files, in the order given; folders are walked (sorted, recursively) only
 * when `recursive` is set. Paths that cannot be listed come back with the reason instead of stopping the walk.
 */
export async function* listFiles(paths: string[], recursive: boolean): AsyncGenerator<ListedPath> {
  for (const path of paths) yield* expand(path, recursive, true);
}

async function* expand(path: string, recursive: boolean, named: boolean): AsyncGenerator<ListedPath> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    yield { ok: false, path, reason: code === 'ENOENT' ? 'No such file or folder.' : code === 'EACCES' ? 'Permission denied.' : String(error) };
    return;
  }
  if (info.isDirectory()) {
    if (!recursive) {
      if (named) yield { ok: false, path, reason: 'This is a folder; add -r to hash the files inside it.' };
      return;
    }
    let entries: string[];
    try {
      entries = (await readdir(path)).sort();
    } catch (error) {
      yield { ok: false, path, reason: `The folder cannot be read (${(error as { code?: string }).code ?? error}).` };
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      yield* expand(join(path, entry), recursive, false);
    }
  } else if (info.isFile()) {
    yield { ok: true, path };
  } else if (named) {
    yield { ok: false, path, reason: 'Not a regular file.' };
  }
}
