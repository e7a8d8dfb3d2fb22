// Finds the file a driver package name stands for, as a user expects: a package installed in
// the working directory's node_modules (or a parent's), or in a NODE_PATH folder, or next to
// delfin-ts itself; a path starting with ./, ../ or / for a package under development.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function isPathSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec);
}

/** Folders that may hold the package `name`: <dir>/node_modules up from cwd, then NODE_PATH. */
function candidateDirs(name: string, cwd: string, nodePath: string | undefined): string[] {
  const dirs: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    dirs.push(join(dir, 'node_modules', name));
    if (dirname(dir) === dir) break;
  }
  for (const entry of (nodePath ?? '').split(process.platform === 'win32' ? ';' : ':').filter(Boolean)) {
    dirs.push(join(resolve(cwd, entry), name));
  }
  return dirs;
}

/** The ES module entry of a package folder: exports["."] (import/node/default), module, main, index.js. */
function packageEntry(dir: string): string {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return join(dir, 'index.js');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const fromExports = exportsEntry(pkg.exports);
  return join(dir, fromExports ?? pkg.module ?? pkg.main ?? 'index.js');
}

function exportsEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const root = '.' in map ? map['.'] : map;
  if (typeof root === 'string') return root;
  if (!root || typeof root !== 'object') return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const found = exportsEntry((root as Record<string, unknown>)[condition]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The URL to import() for `spec`, or the bare name itself when it is not found in the working
 * directory or NODE_PATH (import() then looks next to delfin-ts, and fails if it is not there).
 */
export function resolvePlugin(spec: string, cwd = process.cwd(), nodePath = process.env.NODE_PATH): string {
  if (isPathSpec(spec)) {
    const path = resolve(cwd, spec);
    const isDir = existsSync(path) && statSync(path).isDirectory();
    return pathToFileURL(isDir ? packageEntry(path) : path).href;
  }
  const dir = candidateDirs(spec, cwd, nodePath).find((d) => existsSync(d));
  return dir ? pathToFileURL(packageEntry(dir)).href : spec;
}
