import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ConformanceOptions } from './runner.js';

/** What the command line asks for. */
export type KitCommand =
  | { kind: 'run'; options: ConformanceOptions; junitFile?: string; jsonFile?: string; quiet: boolean }
  | { kind: 'keygen'; outDir: string }
  | { kind: 'help' };

/** The command line's usage text. */
export const USAGE = `p2p-conformance: does a province's service keep the hub's contract?

  p2p-conformance --province 440000 --url https://p2p.gd.example/ [--token-key kit-key.pem]
                  [--read-only] [--only schema,auth] [--test-region 441523] [--seed 42]
                  [--junit report.xml] [--json report.json] [--quiet]
  p2p-conformance keygen --out DIR      writes the kit's key pair (conformance-key.pem, conformance-key.pub.pem)

  --province     the province the service serves (6 digits)
  --url          the service's base URL (its subgraphs answer at <url>/<subgraph>/graphql)
  --token-key    PKCS8 PEM file of the key the kit signs caller assertions with; the service must
                 trust its public key as it trusts the gateway's. Without it only the unsigned checks run.
  --read-only    run only the checks that write nothing (against a production service)
  --only         run only these checks or groups (comma-separated ids or prefixes)
  --test-region  the county the kit's records are homed in (default: the province's last county)
  --junit        write the report as JUnit XML     --json  write it as JSON (the gateway reads it)
Exit code: 0 when it conforms, 1 when a check failed, 2 on a usage error.`;

/**
 * Reads the command line.
 * @throws Error naming the option that is wrong (the CLI prints it with the usage and exits 2)
 */
export function parseCommand(argv: readonly string[]): KitCommand {
  if (argv[0] === 'keygen') {
    const { values } = parseArgs({ args: argv.slice(1), options: { out: { type: 'string' } }, strict: true });
    if (!values.out) throw new Error('keygen needs --out DIR');
    return { kind: 'keygen', outDir: values.out };
  }
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      province: { type: 'string' },
      url: { type: 'string' },
      'token-key': { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      only: { type: 'string' },
      'test-region': { type: 'string' },
      seed: { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { kind: 'help' };
  if (!values.province || !/^\d{2}0000$/.test(values.province))
    throw new Error('--province must be a province code of 6 digits, e.g. 440000');
  if (!values.url) throw new Error('--url is required (the service base URL)');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new Error(`--url: "${values.url}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--url must be http: or https:');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  // Digits only: Number('') is 0 and Number('1e3') 1000, neither a seed anyone wrote.
  if (seed !== undefined && (!/^\d+$/.test(values.seed ?? '') || seed > 0xffffffff))
    throw new Error('--seed must be an integer from 0 to 4294967295');
  let signingKeyPem: string | undefined;
  if (values['token-key']) {
    try {
      signingKeyPem = readFileSync(values['token-key'], 'utf8');
    } catch (err) {
      throw new Error(
        `--token-key: cannot read ${values['token-key']} (${(err as NodeJS.ErrnoException).code})`,
      );
    }
  }
  return {
    kind: 'run',
    quiet: values.quiet ?? false,
    ...(values.junit ? { junitFile: values.junit } : {}),
    ...(values.json ? { jsonFile: values.json } : {}),
    options: {
      province: values.province,
      url: url.toString(),
      readOnly: values['read-only'] ?? false,
      ...(signingKeyPem ? { signingKeyPem } : {}),
      ...(values.only
        ? {
            only: values.only
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      ...(values['test-region'] ? { testRegion: values['test-region'] } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}
