#!/usr/bin/env node
/**
 * `p2p-import-workers --file workers.csv` (the province package's `bin`; from the repository's
 * sources `npm run import-workers -- --file workers.csv`): a province's worker registry into the hub,
 * through the gateway, as the province's officer. Prints a summary; with `--rejects F` writes the
 * refused rows (line, code, reason: no personal data) as CSV. Exit code 0: every row registered;
 * 2: some rows refused (see the report); 1: the import could not run.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isMainModule } from '@p2p/runtime';
import { COLUMN_HEADINGS, rejectsCsv } from '@p2p/schema/registry-import';
import { importWorkers } from './import-workers.js';

/** The usage text. */
export const IMPORT_USAGE = `p2p-import-workers --file <workers.csv> [options]
(from the repository's sources: npm run import-workers -- --file <workers.csv> [options])

  --file <path>          UTF-8 CSV, a header row first; columns (either heading):
${Object.entries(COLUMN_HEADINGS)
  .map(([c, h]) => `                           ${c.padEnd(14)} ${h.join(' / ')}`)
  .join('\n')}
                         name, idNumber, phone and homeRegion are required; skills split on ; 、 , |
  --gateway <url>        the gateway's GraphQL endpoint (default http://localhost:4000/graphql)
  --token <jwt>          a token of the province's officer (default env P2P_TOKEN), e.g.
                         npm run -s token -- --role province --region 450000
  --rejects <path>       write the refused rows (line, code, reason) there as CSV
  --batch <n>            workers per registerWorkers call, at most 1000 (default 1000)
  --help`;

/** What was asked for on the command line. */
export interface ImportArgs {
  file?: string;
  gatewayUrl: string;
  token?: string;
  rejects?: string;
  batchSize: number;
  help: boolean;
}

/**
 * Parses the command line.
 * @throws Error with a message for the user on an unknown option or a bad value.
 */
export function parseImportArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): ImportArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      file: { type: 'string' },
      gateway: { type: 'string' },
      token: { type: 'string' },
      rejects: { type: 'string' },
      batch: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const batchSize = values.batch === undefined ? 1_000 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000)
    throw new Error(`--batch must be a number from 1 to 1000; got "${values.batch}"`);
  const token = values.token ?? env.P2P_TOKEN;
  return {
    gatewayUrl: values.gateway ?? 'http://localhost:4000/graphql',
    batchSize,
    help: values.help ?? false,
    ...(values.file ? { file: values.file } : {}),
    ...(token ? { token } : {}),
    ...(values.rejects ? { rejects: values.rejects } : {}),
  };
}

async function main(): Promise<number> {
  const args = parseImportArgs(process.argv.slice(2));
  if (args.help || !args.file) {
    console.log(IMPORT_USAGE);
    return args.help ? 0 : 1;
  }
  if (!args.token)
    throw new Error(
      'no token: pass --token or set P2P_TOKEN (npm run -s token -- --role province --region <code>)',
    );
  const started = performance.now();
  const report = await importWorkers(args.file, {
    gatewayUrl: args.gatewayUrl,
    headers: { authorization: `Bearer ${args.token}` },
    batchSize: args.batchSize,
    onProgress: (r) =>
      process.stderr.write(
        `\r${r.registered.toLocaleString('en')} registered, ${r.rejected.length.toLocaleString('en')} refused, ${r.rows.toLocaleString('en')} rows read`,
      ),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  console.log(
    `${report.rows.toLocaleString('en')} rows read, ${report.registered.toLocaleString('en')} registered, ${report.rejected.length.toLocaleString('en')} refused, ${report.calls} calls, ${seconds.toFixed(1)} s (${Math.round(report.registered / seconds).toLocaleString('en')} workers/s)`,
  );
  for (const r of report.rejected.slice(0, 20)) console.log(`  line ${r.line}: ${r.code} ${r.reason}`);
  if (report.rejected.length > 20)
    console.log(
      `  … ${report.rejected.length - 20} more${args.rejects ? '' : ' (--rejects <file> writes them all)'}`,
    );
  if (args.rejects) await writeFile(args.rejects, rejectsCsv(report));
  return report.rejected.length > 0 ? 2 : 0;
}

if (isMainModule(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`import-workers: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
