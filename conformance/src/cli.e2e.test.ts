/**
 * The kit's command line as a province IT team runs it: a real `p2p-conformance` process against a
 * real province PROCESS that trusts the key pair `keygen` wrote. One conforming province serves
 * every case; a second one, started with `SERVED_CONTRACT=previous` (it serves the previous
 * contract minor, docs/upgrades.md), is the broken service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createProvinceDatabase, type TestDatabase } from '@p2p/province/testing';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from './checks/index.js';
import type { ConformanceReport } from './runner.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KIT = 'conformance/src/main.ts';
const PROVINCE_MAIN = 'subgraphs/province/src/main.ts';
const PROVINCE = '450000';
/** A result line of the CLI: `PASS  id   12 ms  title`. */
const RESULT_LINE = /^(PASS|FAIL|SKIP)\s+(\S+)\s+\d+ ms {2}/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the kit's CLI (`node --conditions=source --import tsx conformance/src/main.ts …`) to its end. */
function kit(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', KIT, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A province process; resolves once it prints its `listening` line. */
function startProvinceProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', PROVINCE_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      P2P_DEV: '1',
      DATABASE_POOL_SIZE: '4',
      PROVINCE,
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('no "listening" line within 60 s'), 60_000);
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`province: ${why}\n${output.slice(-30).join('\n')}`));
    }
    child.once('exit', (code) => fail(`exited with ${code}`));
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      const parsed = JSON.parse(line) as { msg?: string; url?: string };
      if (parsed.msg !== 'listening' || !parsed.url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: parsed.url, child });
    });
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const resultLines = (stdout: string) =>
  stdout
    .split('\n')
    .map((line) => RESULT_LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ status: m[1]!, id: m[2]! }));

describe('the p2p-conformance command line against a province process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2p-conformance-e2e-'));
  const keyFile = join(dir, 'conformance-key.pem');
  let database: TestDatabase | undefined;
  let good: { url: string; child: ChildProcess } | undefined;
  let broken: { url: string; child: ChildProcess } | undefined;

  beforeAll(async () => {
    const keygen = await kit(['keygen', '--out', dir]);
    expect(keygen.code, keygen.stderr).toBe(0);
    const publicKey = readFileSync(join(dir, 'conformance-key.pub.pem'), 'utf8');
    database = await createProvinceDatabase();
    [good, broken] = await Promise.all([
      startProvinceProcess({
        GATEWAY_PUBLIC_KEY: publicKey,
        ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      }),
      startProvinceProcess({ GATEWAY_PUBLIC_KEY: publicKey, SERVED_CONTRACT: 'previous' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stop(good?.child), stop(broken?.child)]);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should exit 0 with one line per check, a JUnit XML file and the JSON report when the province conforms', async () => {
    const junit = join(dir, 'report.xml');
    const json = join(dir, 'report.json');
    const run = await kit([
      '--province',
      PROVINCE,
      '--url',
      good!.url,
      '--token-key',
      keyFile,
      '--junit',
      junit,
      '--json',
      json,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = resultLines(run.stdout);
    const checkLines = lines.filter((l) => l.id !== 'cleanup.cancel-trips');
    expect(checkLines.map((l) => l.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    // The province is a fresh, empty disposable instance: the one check that reads records already
    // there without writing has nothing to page and must skip; everything else passes.
    expect(lines.filter((l) => l.status !== 'PASS')).toEqual(
      lines.filter((l) => l.id === 'pagination.keyset-read').map((l) => ({ ...l, status: 'SKIP' })),
    );
    expect(run.stdout).toContain(`CONFORMS: province ${PROVINCE}`);

    const report = JSON.parse(readFileSync(json, 'utf8')) as ConformanceReport;
    expect(report).toMatchObject({
      kit: 'p2p-conformance',
      province: PROVINCE,
      passed: true,
      readOnly: false,
    });
    expect(report.results.map((r) => r.id)).toEqual(lines.map((l) => l.id));
    const skipped = lines.filter((l) => l.status === 'SKIP').length;
    expect(report.counts).toEqual({ pass: lines.length - skipped, fail: 0, skip: skipped });

    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = parsed.testsuites.testsuite;
    const cases = [suite.testcase].flat();
    expect(cases.map((c: { name: string }) => c.name)).toEqual(lines.map((l) => l.id));
    expect(Number(parsed.testsuites.tests)).toBe(lines.length);
    expect(Number(suite.tests)).toBe(lines.length);
    expect(Number(suite.failures)).toBe(0);
    expect(Number(suite.skipped)).toBe(skipped);
    expect(cases.some((c: Record<string, unknown>) => 'failure' in c)).toBe(false);
  });

  it('should exit 1 and name the failing checks against a province serving the previous contract minor', async () => {
    const junit = join(dir, 'broken.xml');
    const run = await kit([
      '--province',
      PROVINCE,
      '--url',
      broken!.url,
      '--token-key',
      keyFile,
      '--only',
      'schema,auth',
      '--junit',
      junit,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const failed = resultLines(run.stdout).filter((l) => l.status === 'FAIL');
    // The previous minor (1.1) lacks a field of transport (TransportStats.corridors) and routes
    // Summary's transport and health parts to every province (1.2 routes them by scope, #17.2): the
    // kit checks a province against the current contract. The signature is checked as before.
    expect(failed.map((l) => l.id)).toEqual([
      'schema.contract.transport',
      'schema.shard-rules.transport',
      'schema.shard-rules.health',
    ]);
    expect(run.stdout).toMatch(
      /why: it serves the previous minor \(1\.1\).*TransportStats\.corridors is missing/,
    );
    expect(run.stdout).toContain('DOES NOT CONFORM');
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const cases = [parsed.testsuites.testsuite.testcase].flat() as Record<string, unknown>[];
    expect(Number(parsed.testsuites.failures)).toBe(3);
    expect(cases.filter((c) => 'failure' in c).map((c) => c.name)).toEqual(failed.map((l) => l.id));
  });

  it('should exit 2 with the usage on a usage error', async () => {
    const run = await kit(['--province', '45', '--url', good!.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--province must be a province code of 6 digits');
    expect(run.stderr).toContain('Exit code: 0 when it conforms');
    expect(resultLines(run.stdout)).toEqual([]);
  });

  it('should exit 2 when the key file cannot be read', async () => {
    const run = await kit(['--province', PROVINCE, '--url', good!.url, '--token-key', join(dir, 'nope.pem')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--token-key: cannot read');
  });
});
