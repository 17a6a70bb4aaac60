import { describe, expect, it } from 'vitest';
import { post, useNational } from './test-client.js';

const url = useNational();

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Region { code name level fullName parent { code } }
    ... on Summary { scope day region { code name } }
  }
}`;

describe('_entities', () => {
  it('resolves Regions in the order asked, unknown and malformed codes as null', async () => {
    const representations = ['450203001', '999999', '450000', 'not-a-code', '450200', '450203'].map(
      (code) => ({ __typename: 'Region', code }),
    );
    const { data, errors } = await post(url(), ENTITIES, { representations });
    expect(errors).toBeUndefined();
    expect(data._entities.map((e: { code: string } | null) => e?.code ?? null)).toEqual([
      '450203001',
      null,
      '450000',
      null,
      '450200',
      '450203',
    ]);
    expect(data._entities[0]).toMatchObject({ level: 'TOWNSHIP', parent: { code: '450203' } });
    expect(data._entities[2]).toMatchObject({ name: '广西壮族自治区', level: 'PROVINCE', parent: null });
  });

  it('accepts a representation whose code is not a string without failing the batch', async () => {
    const representations = [
      { __typename: 'Region', code: 450200 },
      { __typename: 'Region' },
      { __typename: 'Region', code: '130730' },
    ];
    const { data } = await post(url(), ENTITIES, { representations });
    expect(data._entities).toEqual([null, null, expect.objectContaining({ code: '130730', name: '怀来县' })]);
  });

  it('resolves Summary references with their region (null for the nation)', async () => {
    const representations = [
      { __typename: 'Summary', scope: '450200', day: 'LATEST' },
      { __typename: 'Summary', scope: 'CN', day: '2020-03-01' },
    ];
    const { data } = await post(url(), ENTITIES, { representations });
    expect(data._entities).toEqual([
      { scope: '450200', day: 'LATEST', region: { code: '450200', name: '柳州市' } },
      { scope: 'CN', day: '2020-03-01', region: null },
    ]);
  });

  it('serves its SDL for composition', async () => {
    const { data } = await post(url(), `{ _service { sdl } }`);
    expect(data._service.sdl).toMatch(/type Region\s+@key\(fields: "code"\)/);
  });
});

describe('HTTP surface', () => {
  it('GET /health answers ok', async () => {
    const res = await fetch(url().replace(/\/graphql$/, '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 off the GraphQL path', async () => {
    const res = await fetch(url().replace(/\/graphql$/, '/nowhere'));
    expect(res.status).toBe(404);
  });

  it('answers GET queries', async () => {
    const res = await fetch(`${url()}?query=${encodeURIComponent('{ region(code: "450200") { name } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await res.json()).toEqual({ data: { region: { name: '柳州市' } } });
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ nope',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
