/**
 * A guard for services started from the build: node options that make the process die at once
 * (before it could print `listening`) when it was started with tsx or the `source` export
 * condition, or when it resolves any TypeScript file, any file of a workspace's `src/`, or tsx
 * itself. A built-release test that passes with the guard therefore ran only `dist/` JavaScript.
 *
 * The guard is plain JavaScript in a `data:` URL (a built service cannot load TypeScript): its
 * top level checks `process.execArgv` and `NODE_OPTIONS`, then registers a `resolve` hook
 * (`module.register`, Node ≥ 20.6) that checks every module the service loads.
 */
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './service-process.js';

const ROOT_URL = pathToFileURL(REPO_ROOT).href;

/**
 * The resolve hook (a module of its own, registered by {@link GUARD_MODULE}). `src/` is judged
 * inside the repository only (by the path below its root), so a checkout under a directory named
 * `src` is no false alarm.
 */
const HOOK_MODULE = `
const root = ${JSON.stringify(ROOT_URL)};
const forbidden = (url) => {
  const path = url.split('?')[0];
  if (/\\.(ts|mts|cts|tsx)$/.test(path) || /\\/node_modules\\/tsx\\//.test(path)) return true;
  if (!path.startsWith(root)) return false;
  const inside = path.slice(root.length);
  return !inside.includes('node_modules/') && /(^|\\/)src\\//.test(inside);
};
export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes('source'))
    throw new Error('built-release guard: the "source" export condition is on');
  const result = await nextResolve(specifier, context);
  if (forbidden(result.url)) throw new Error('built-release guard: ' + result.url + ' is not built code');
  return result;
}
`;

/** Checks how the process was started, then registers {@link HOOK_MODULE}. */
const GUARD_MODULE = `
import { register } from 'node:module';
const started = [...process.execArgv.filter((a) => !a.startsWith('data:')), process.env.NODE_OPTIONS ?? ''].join(' ');
if (/\\btsx\\b|--conditions[= ]source|-C[= ]?source\\b/.test(started))
  throw new Error('built-release guard: started with tsx or the source condition: ' + started);
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK_MODULE)}`)});
`;

/** Node options that install the guard: `['--import', 'data:text/javascript,…']`. */
export const BUILT_RELEASE_GUARD_ARGS: readonly string[] = [
  '--import',
  `data:text/javascript,${encodeURIComponent(GUARD_MODULE)}`,
];

/**
 * What node prints when the guard refuses (the thrown error, not the guard's source line that
 * node also shows): tests look for it in the child's output.
 */
export const BUILT_RELEASE_GUARD_REFUSAL = /Error: built-release guard: /;
