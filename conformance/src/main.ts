#!/usr/bin/env node
/**
 * The conformance kit's command line (`npx @p2p/conformance …`, `p2p-conformance`): runs the checks
 * against one province's service and prints one line per check; `--junit` and `--json` write the
 * report as files. Exit code 0 when the service conforms, 1 when a check failed, 2 on a usage error.
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateGatewayKeyPair } from '@p2p/schema';
import { USAGE, parseCommand } from './options.js';
import { junitXml, reportJson, resultLines, summaryLines } from './report.js';
import { runConformance } from './runner.js';

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function runCommandLine(
  argv: readonly string[],
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(argv);
  } catch (e) {
    err(`p2p-conformance: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    out(USAGE);
    return 0;
  }
  if (command.kind === 'keygen') {
    const pair = await generateGatewayKeyPair();
    mkdirSync(command.outDir, { recursive: true });
    writeFileSync(join(command.outDir, 'conformance-key.pem'), pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(command.outDir, 'conformance-key.pub.pem'), pair.publicKeyPem);
    out(`wrote ${join(command.outDir, 'conformance-key.pem')} (keep it) and conformance-key.pub.pem`);
    out('start the disposable instance trusting the public key (ours: GATEWAY_PUBLIC_KEY set to it alone)');
    return 0;
  }
  let report: Awaited<ReturnType<typeof runConformance>>;
  try {
    report = await runConformance({
      ...command.options,
      onResult: (result) => {
        if (!command.quiet || result.status === 'fail') for (const line of resultLines(result)) out(line);
      },
    });
  } catch (e) {
    err(`p2p-conformance: ${(e as Error).message}`);
    return 2;
  }
  for (const line of summaryLines(report)) out(line);
  if (command.junitFile) writeFileSync(command.junitFile, junitXml(report));
  if (command.jsonFile) writeFileSync(command.jsonFile, reportJson(report));
  return report.passed ? 0 : 1;
}

// The kit depends on `@p2p/schema` only (no service runtime), so it has its own copy of this test.
const invokedAsProgram = (() => {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (invokedAsProgram) {
  runCommandLine(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`p2p-conformance: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
