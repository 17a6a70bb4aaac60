/**
 * What a built service needs on disk (#18.1): the root `package.json` and `package-lock.json`,
 * every workspace's `package.json` (npm checks the lock against all of them), and, for the
 * service's workspace and the workspaces it depends on, the entries of their `files` field
 * (`dist/` plus the runtime files: SDL, supergraph, migrations), and the built files of other
 * workspaces it serves (the gateway: the console's `dist/app`). The Dockerfiles copy the same
 * things; `deploy.test.ts` checks that they do.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A service a release runs: its workspace, bin and port, and the built files of other workspaces it serves. */
export interface ReleaseServiceSpec {
  workspace: string;
  bin: string;
  port: number;
  /**
   * Built files of a workspace the service serves but does not import (so not in its
   * `dependencies`): the gateway serves the console's `dist/app` at `/console/`, while the console
   * depends on the gateway for its codegen. Paths relative to the root; the release carries them
   * where they are in the repository (the gateway finds `gateway/console/dist/app` beside its own
   * build). The Dockerfile's build stage builds their workspace too.
   */
  carries: readonly { workspace: string; paths: readonly string[] }[];
}

/** The services a release runs. */
export const RELEASE_SERVICES = {
  province: { workspace: 'subgraphs/province', bin: 'p2p-province', port: 4100, carries: [] },
  national: { workspace: 'subgraphs/national', bin: 'p2p-national', port: 4001, carries: [] },
  gateway: {
    workspace: 'gateway',
    bin: 'p2p-gateway',
    port: 4000,
    carries: [{ workspace: 'gateway/console', paths: ['gateway/console/dist/app'] }],
  },
} as const satisfies Record<string, ReleaseServiceSpec>;

/** A service's name: `province`, `national` or `gateway`. */
export type ReleaseService = keyof typeof RELEASE_SERVICES;

/** The fields of a workspace's package.json the layout reads. */
interface WorkspaceManifest {
  name: string;
  files?: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/** Reads `<root>/<workspace>/package.json`. */
export function readManifest(root: string, workspace: string): WorkspaceManifest {
  return JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8')) as WorkspaceManifest;
}

/**
 * What `npm ci --omit=dev --workspace <…>` installs a service by: its workspace's package name.
 * Not its path: a path selects every workspace under it too (`gateway` would bring in
 * `gateway/console` and the browser libraries it bundles, ~120 MB the gateway never loads).
 */
export function installWorkspace(root: string, service: ReleaseService): string {
  return readManifest(root, RELEASE_SERVICES[service].workspace).name;
}

/**
 * Every workspace directory of the repository (the root package.json's `workspaces`, globs of
 * the form `dir/*` expanded through the lock file's entries).
 */
export function workspaceDirs(root: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean }>;
  };
  return Object.keys(lock.packages).filter((path) => path !== '' && !path.includes('node_modules/'));
}

/**
 * The workspaces a service runs from: its own and, transitively, every `@p2p/*` workspace in its
 * `dependencies` (never `devDependencies`), in dependency-first order.
 */
export function workspaceClosure(root: string, service: ReleaseService): string[] {
  const byName = new Map(workspaceDirs(root).map((dir) => [readManifest(root, dir).name, dir]));
  const order: string[] = [];
  const visit = (dir: string) => {
    if (order.includes(dir)) return;
    for (const name of Object.keys(readManifest(root, dir).dependencies ?? {})) {
      const dep = byName.get(name);
      if (dep) visit(dep);
    }
    order.push(dir);
  };
  visit(RELEASE_SERVICES[service].workspace);
  return order;
}

/**
 * The paths (relative to the root) a service's release copies besides the package.json files: the
 * `files` of the workspaces it runs from, then what it carries of others (the gateway: the console).
 */
export function runtimePaths(root: string, service: ReleaseService): string[] {
  const spec: ReleaseServiceSpec = RELEASE_SERVICES[service];
  return [
    ...workspaceClosure(root, service).flatMap((dir) =>
      (readManifest(root, dir).files ?? []).map((entry) => join(dir, entry)),
    ),
    ...spec.carries.flatMap((carried) => carried.paths),
  ];
}

/** Where {@link stageRelease} puts things; both may be the same directory. */
export interface StageTargets {
  /** Receives the package files: root package.json, package-lock.json, every workspace's package.json. */
  manifests: string;
  /** Receives the built files: each needed workspace's `files` entries (dist/, SDL, migrations). */
  app: string;
}

/**
 * Copies what `npm ci --omit=dev --workspace <service's workspace>` and the built service need
 * (no sources, no node_modules). The Dockerfiles install from `manifests` first, then copy `app`
 * over it, so a code change does not redo the install layer.
 * @throws Error naming a missing path (e.g. `dist/` before `npm run build`)
 */
export function stageRelease(root: string, service: ReleaseService, targets: StageTargets): void {
  const copy = (path: string, outDir: string) => {
    const from = join(root, path);
    if (!existsSync(from)) throw new Error(`${path} is missing (run npm run build first)`);
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    cpSync(from, join(outDir, path), { recursive: true });
  };
  copy('package.json', targets.manifests);
  copy('package-lock.json', targets.manifests);
  for (const dir of workspaceDirs(root)) copy(join(dir, 'package.json'), targets.manifests);
  for (const path of runtimePaths(root, service)) copy(path, targets.app);
}
