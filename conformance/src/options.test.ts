import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand } from './options.js';

const BASE = ['--province', '450000', '--url', 'https://p2p.gx.example/'];

describe('command line options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2p-conformance-options-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should read a full run: province, url, key, read-only, only, test region, seed and the report files', () => {
    const keyFile = join(dir, 'kit.pem');
    writeFileSync(keyFile, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const command = parseCommand([
      ...BASE,
      '--token-key',
      keyFile,
      '--read-only',
      '--only',
      'schema, auth.replay-refused,',
      '--test-region',
      '451031',
      '--seed',
      '42',
      '--junit',
      'r.xml',
      '--json',
      'r.json',
      '--quiet',
    ]);
    expect(command).toEqual({
      kind: 'run',
      quiet: true,
      junitFile: 'r.xml',
      jsonFile: 'r.json',
      options: {
        province: '450000',
        url: 'https://p2p.gx.example/',
        readOnly: true,
        signingKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
        only: ['schema', 'auth.replay-refused'],
        testRegion: '451031',
        seed: 42,
      },
    });
  });

  it('should default to a signed-less, writing, random-seed run printing every line', () => {
    expect(parseCommand(BASE)).toEqual({
      kind: 'run',
      quiet: false,
      options: { province: '450000', url: 'https://p2p.gx.example/', readOnly: false },
    });
  });

  it('should read keygen --out and --help', () => {
    expect(parseCommand(['keygen', '--out', 'keys'])).toEqual({ kind: 'keygen', outDir: 'keys' });
    expect(() => parseCommand(['keygen'])).toThrow('keygen needs --out DIR');
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--url', 'https://x.example/'], '--province must be a province code of 6 digits'],
    [['--province', '45', '--url', 'https://x.example/'], '--province must be a province code of 6 digits'],
    [
      ['--province', '450100', '--url', 'https://x.example/'],
      '--province must be a province code of 6 digits',
    ],
    [['--province', '450000'], '--url is required'],
    [['--province', '450000', '--url', 'not a url'], '--url: "not a url" is not a URL'],
    [['--province', '450000', '--url', 'ftp://x.example/'], '--url must be http: or https:'],
    [[...BASE, '--seed', 'abc'], '--seed must be an integer from 0 to 4294967295'],
    [[...BASE, '--seed=-1'], '--seed must be an integer from 0 to 4294967295'],
    [[...BASE, '--seed', ''], '--seed must be an integer from 0 to 4294967295'],
    [[...BASE, '--seed', '1e3'], '--seed must be an integer from 0 to 4294967295'],
    [[...BASE, '--seed', '1.5'], '--seed must be an integer from 0 to 4294967295'],
    [[...BASE, '--seed', '4294967296'], '--seed must be an integer from 0 to 4294967295'],
    [[...BASE, '--unknown'], "Unknown option '--unknown'"],
  ])('should refuse %j, naming what is wrong', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });

  it('should refuse a key file that cannot be read, naming the file and why', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => parseCommand([...BASE, '--token-key', missing])).toThrow(
      `--token-key: cannot read ${missing} (ENOENT)`,
    );
  });
});
