import { describe, expect, it } from 'vitest';
import { parseImportArgs } from './main.js';

describe('import-workers command line', () => {
  it('should take the token from P2P_TOKEN and refuse a batch over the province limit', () => {
    expect(parseImportArgs(['--file', 'w.csv'], { P2P_TOKEN: 't' })).toEqual({
      file: 'w.csv',
      token: 't',
      gatewayUrl: 'http://localhost:4000/graphql',
      batchSize: 1000,
      help: false,
    });
    expect(() => parseImportArgs(['--file', 'w.csv', '--batch', '1001'], {})).toThrow(
      /--batch must be a number from 1 to 1000/,
    );
    expect(() => parseImportArgs(['--fil', 'w.csv'], {})).toThrow();
  });
});
