/**
 * Starts one hub service (province, national or gateway) as a real child process and waits
 * for it to say it listens. Each service prints one JSON line `{"msg":"listening","url":...}`
 * on stdout when ready; everything else it prints is kept (the last lines) for diagnostics.
 * Every child is killed when the launching process exits, whatever happened to the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (scripts/src/harness/ → ../../../). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Entry points of the services, relative to the repository root. */
export const SERVICE_ENTRIES = {
  province: 'subgraphs/province/src/main.ts',
  national: 'subgraphs/national/src/main.ts',
  gateway: 'gateway/src/main.ts',
} as const;

/** Entry points of the built services (`npm run build`), started with plain `node`: no tsx, no sources. */
export const BUILT_SERVICE_ENTRIES = {
  province: 'subgraphs/province/dist/main.js',
  national: 'subgraphs/national/dist/main.js',
  gateway: 'gateway/dist/main.js',
} as const;

/** Variables of the services' env contract; never inherited from the launching process. */
const CONTRACT_ENV = [
  'PORT',
  'HOST',
  'PROVINCE',
  'PROVINCES',
  'HOSTED_PROVINCES',
  'SERVED_CONTRACT',
  'NATIONAL_URL',
  'DATABASE_URL',
  'PGLITE_DIR',
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'GATEWAY_SIGNING_KEY',
  'GATEWAY_PUBLIC_KEY',
  'ALLOW_UNSIGNED',
  'P2P_DEV',
  'ADMIN_TOKEN',
  'ADMIN_PORT',
  'ADMIN_HOST',
];

/** Where a line of a child's output came from. */
export type OutputStream = 'stdout' | 'stderr';

/** What to start. */
export interface ServiceSpec {
  /** A label for messages, e.g. `province 450000`. */
  name: string;
  /** Path of the entry file relative to the repository root (see {@link SERVICE_ENTRIES}). */
  entry: string;
  /** The service's env (PORT, HOST, ...), on top of the launcher's env minus the contract variables. */
  env: Record<string, string>;
  /**
   * How long to wait for the `listening` line (for each of them, with `listeners`).
   * @default 60_000
   */
  readyTimeoutMs?: number;
  /**
   * How many `listening` lines to wait for: a process hosting several provinces
   * (`HOSTED_PROVINCES`) prints one per province.
   * @default 1
   */
  listeners?: number;
  /** Receives every line the child prints (the dev launcher shows them); default: kept silently. */
  onLine?: (line: string, stream: OutputStream) => void;
  /**
   * Node options put before the entry (e.g. `BUILT_RELEASE_GUARD_ARGS` of built-release-guard.ts).
   * @default []
   */
  nodeArgs?: readonly string[];
  /**
   * Working directory of the child; `entry` may also be absolute (a staged release elsewhere).
   * @default REPO_ROOT
   */
  cwd?: string;
}

/** One `listening` line: the URL, and the province when the line names one. */
export interface ListeningLine {
  url: string;
  province?: string;
}

/** A started service. */
export interface ServiceProcess {
  /** The URL from the (first) `listening` line. */
  url: string;
  /** Every `listening` line, in order (one unless {@link ServiceSpec.listeners}). */
  listening: ListeningLine[];
  /** The port the service listens on (from its URL), to restart it at the same address. */
  port: number;
  child: ChildProcess;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** The last lines the child printed (both streams), for error messages. */
  recentOutput(): string;
  /**
   * SIGTERM, then SIGKILL if still running after `graceMs`; resolves when it has exited.
   * @default graceMs 10_000
   */
  stop(graceMs?: number): Promise<void>;
}

const RECENT_LINES = 60;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every child still running, synchronously (safe inside an `exit` handler). */
export function killAllServices(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

/**
 * Kills the children when the launcher exits. On SIGTERM/SIGHUP, when nobody else handles the
 * signal, also kills them and re-raises it so the launcher still dies of that signal.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllServices);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return; // the launcher stops its services itself
      killAllServices();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * The child's env: the launcher's env without the contract variables (nor any `OTEL_*`: tracing is
 * on only where a test or the launcher asks for it), plus the service's own.
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONTRACT_ENV) delete base[name];
  for (const name of Object.keys(base)) if (name.startsWith('OTEL_')) delete base[name];
  return { ...base, ...env };
}

/** Reads the URL from a `listening` line, or undefined for any other line. */
export function listeningUrl(line: string): string | undefined {
  return listeningLine(line)?.url;
}

/** Reads a `listening` line (its URL and province), or undefined for any other line. */
export function listeningLine(line: string): ListeningLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown; province?: unknown };
    if (parsed.msg !== 'listening' || typeof parsed.url !== 'string') return undefined;
    return typeof parsed.province === 'string'
      ? { url: parsed.url, province: parsed.province }
      : { url: parsed.url };
  } catch {
    return undefined;
  }
}

/**
 * Spawns `node --conditions=source --import tsx <entry>` (a TypeScript `.ts` entry), or
 * `node <entry>` (anything else: a built `.js` entry, {@link BUILT_SERVICE_ENTRIES}, or an
 * installed bin), and resolves once it prints its `listening` line. Rejects, with the child's
 * last output, when it exits first or times out.
 */
export function startService(spec: ServiceSpec): Promise<ServiceProcess> {
  installExitHook();
  const args = [
    ...(spec.entry.endsWith('.ts') ? ['--conditions=source', '--import', 'tsx'] : []),
    ...(spec.nodeArgs ?? []),
    spec.entry,
  ];
  const child = spawn(process.execPath, args, {
    cwd: spec.cwd ?? REPO_ROOT,
    env: childEnv(spec.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const recent: string[] = [];
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  return new Promise<ServiceProcess>((resolve, reject) => {
    let settled = false;
    const recentOutput = () => recent.join('\n');
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${spec.name}: ${why}\n--- last output of ${spec.name} ---\n${recentOutput()}`));
    };
    const timeoutMs = spec.readyTimeoutMs ?? 60_000;
    const expected = spec.listeners ?? 1;
    const listening: ListeningLine[] = [];
    const wait = () =>
      setTimeout(
        () =>
          fail(
            `no "listening" line within ${timeoutMs} ms${expected > 1 ? ` (${listening.length} of ${expected} came)` : ''}`,
          ),
        timeoutMs,
      );
    let timer = wait();
    const onLine = (stream: OutputStream) => (line: string) => {
      recent.push(stream === 'stderr' ? `[stderr] ${line}` : line);
      if (recent.length > RECENT_LINES) recent.shift();
      spec.onLine?.(line, stream);
      if (settled || stream !== 'stdout') return;
      const ready = listeningLine(line);
      if (!ready) return;
      listening.push(ready);
      clearTimeout(timer);
      if (listening.length < expected) {
        timer = wait();
        return;
      }
      settled = true;
      resolve(serviceHandle(child, listening, recentOutput, exitedPromise));
    };
    createInterface({ input: child.stdout! }).on('line', onLine('stdout'));
    createInterface({ input: child.stderr! }).on('line', onLine('stderr'));
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited before listening (${signal ?? `code ${code}`})`));
  });
}

/** The handle of a child that is listening. */
function serviceHandle(
  child: ChildProcess,
  listening: ListeningLine[],
  recentOutput: () => string,
  exited: Promise<void>,
): ServiceProcess {
  const isExited = () => child.exitCode !== null || child.signalCode !== null;
  let stopping: Promise<void> | undefined;
  const { url } = listening[0]!;
  return {
    url,
    listening,
    port: Number(new URL(url).port),
    child,
    get exited() {
      return isExited();
    },
    recentOutput,
    stop(graceMs = 10_000) {
      if (isExited()) return Promise.resolve();
      stopping ??= (async () => {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>(
          (resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)),
        );
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
