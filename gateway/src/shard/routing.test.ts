import { describe, expect, it } from 'vitest';
import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { encodeId, readShardRules, subgraphDocument } from '@p2p/schema';
import { argumentValues, routeMutationField, routeQueryField, routeRepresentation } from './routing.js';

const CONNECTED = ['130000', '440000', '450000'];
const workers = readShardRules(subgraphDocument('workers'));
const employment = readShardRules(subgraphDocument('employment'));
const transport = readShardRules(subgraphDocument('transport'));
const field = (query: string) =>
  (parse(query).definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;

describe('argumentValues', () => {
  it('should resolve literals, variables and nested input objects', () => {
    const f = field(
      'query($o: RegionCode) { trips(origin: $o, destination: "110000", status: [PLANNED], first: 5) { totalCount } }',
    );
    expect(argumentValues(f, { o: '450203' })).toEqual({
      origin: '450203',
      destination: '110000',
      status: ['PLANNED'],
      first: 5,
    });
    expect(argumentValues(f, {})).toMatchObject({ origin: undefined });
  });
});

describe('routeQueryField', () => {
  const trips = transport.rootFields.get('Query.trips');
  it('should route by the by-argument to its province', () => {
    expect(routeQueryField('trips', trips, { origin: '450203' }, CONNECTED)).toEqual({
      kind: 'provinces',
      provinces: ['450000'],
      all: false,
    });
  });
  it('should scatter to every province when no by-argument has a value', () => {
    expect(routeQueryField('trips', trips, { destination: '110000' }, CONNECTED)).toEqual({
      kind: 'provinces',
      provinces: CONNECTED,
      all: true,
    });
    expect(routeQueryField('trips', trips, { origin: null }, CONNECTED)).toMatchObject({ all: true });
  });
  it('should route by the owner encoded in an entity id', () => {
    expect(
      routeQueryField(
        'worker',
        workers.rootFields.get('Query.worker'),
        { id: encodeId('Worker', '440000', 'abcdefgh') },
        CONNECTED,
      ),
    ).toEqual({ kind: 'provinces', provinces: ['440000'], all: false });
  });
  it('should keep a province that is not connected in the route (the router answers PROVINCE_UNAVAILABLE)', () => {
    expect(routeQueryField('trips', trips, { origin: '110101' }, CONNECTED)).toMatchObject({
      provinces: ['110000'],
    });
  });
  it('should call a value naming no region or record invalid, naming the field', () => {
    const route = routeQueryField(
      'worker',
      workers.rootFields.get('Query.worker'),
      { id: 'garbage' },
      CONNECTED,
    );
    expect(route.kind).toBe('invalid');
    expect(route.kind === 'invalid' && route.message).toMatch(/^worker: id "garbage"/);
    expect(routeQueryField('trips', trips, { origin: '999999' }, CONNECTED).kind).toBe('invalid');
  });
  it('should answer __typename locally', () => {
    expect(routeQueryField('__typename', undefined, {}, CONNECTED)).toEqual({ kind: 'local' });
  });
});

describe('routeMutationField', () => {
  const registerWorker = workers.rootFields.get('Mutation.registerWorker');
  const registerWorkers = workers.rootFields.get('Mutation.registerWorkers');
  it('should route to exactly the province the input names', () => {
    expect(
      routeMutationField('registerWorker', registerWorker, { input: { homeRegion: '450203' } }, CONNECTED),
    ).toEqual({ kind: 'provinces', provinces: ['450000'], all: false });
    expect(
      routeMutationField(
        'fileReturnRequest',
        employment.rootFields.get('Mutation.fileReturnRequest'),
        { input: { enterpriseId: encodeId('Enterprise', '130000', 'abcdefgh') } },
        CONNECTED,
      ),
    ).toMatchObject({ provinces: ['130000'] });
  });
  it('should accept a list whose values all name one province', () => {
    expect(
      routeMutationField(
        'registerWorkers',
        registerWorkers,
        { inputs: [{ homeRegion: '450203' }, { homeRegion: '450102' }] },
        CONNECTED,
      ),
    ).toMatchObject({ provinces: ['450000'] });
  });
  it('should never broadcast: several provinces, none, the nation, unknown regions and unconnected provinces are invalid', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'registerWorkers',
        { inputs: [{ homeRegion: '450203' }, { homeRegion: '130102' }] },
        /names 2 provinces/,
      ],
      ['registerWorker', { input: {} }, /must name the province/],
      ['registerWorker', { input: { homeRegion: 'CN' } }, /not the whole nation/],
      ['registerWorker', { input: { homeRegion: '459999' } }, /names no region/],
      ['registerWorker', { input: { homeRegion: '110101' } }, /110000, which is not connected/],
    ];
    for (const [name, args, message] of cases) {
      const route = routeMutationField(name, workers.rootFields.get(`Mutation.${name}`), args, CONNECTED);
      expect(route.kind, name).toBe('invalid');
      expect(route.kind === 'invalid' && route.message).toMatch(new RegExp(`^${name}: `));
      expect(route.kind === 'invalid' && route.message).toMatch(message);
    }
  });
  it('should refuse a mutation the contract gives no routing rule', () => {
    expect(routeMutationField('mystery', undefined, {}, CONNECTED).kind).toBe('invalid');
  });
});

describe('routeRepresentation', () => {
  it('should send an entity to the owner in its id', () => {
    expect(
      routeRepresentation(
        { __typename: 'Worker', id: encodeId('Worker', '130000', 'abcdefgh') },
        workers.entities.get('Worker'),
        CONNECTED,
      ),
    ).toEqual(['130000']);
  });
  it('should send a Summary of scope CN to every province, of a region to its province', () => {
    const rule = workers.entities.get('Summary');
    expect(
      routeRepresentation({ __typename: 'Summary', scope: 'CN', day: 'LATEST' }, rule, CONNECTED),
    ).toEqual(CONNECTED);
    expect(
      routeRepresentation({ __typename: 'Summary', scope: '440300', day: 'LATEST' }, rule, CONNECTED),
    ).toEqual(['440000']);
  });
  it("should send transport's Summary to the scope's province (#17.2), and an entity rule without by to every province", () => {
    const summary = { __typename: 'Summary', scope: '440300', day: 'LATEST' };
    expect(routeRepresentation(summary, transport.entities.get('Summary'), CONNECTED)).toEqual(['440000']);
    expect(
      routeRepresentation({ ...summary, scope: 'CN' }, transport.entities.get('Summary'), CONNECTED),
    ).toEqual(CONNECTED);
    expect(
      routeRepresentation(summary, { ...transport.entities.get('Summary')!, by: [] }, CONNECTED),
    ).toEqual(CONNECTED);
  });
  it('should follow a nested key path (ReturnRequest by departureRegion.code)', () => {
    const rep = {
      __typename: 'ReturnRequest',
      id: encodeId('ReturnRequest', '110000', 'abcdefgh'),
      departureRegion: { code: '450203' },
      worker: { id: 'x' },
    };
    expect(routeRepresentation(rep, transport.entities.get('ReturnRequest'), CONNECTED)).toEqual(['450000']);
  });
  it('should route nowhere when the value names nothing', () => {
    expect(
      routeRepresentation({ __typename: 'Worker', id: 'junk' }, workers.entities.get('Worker'), CONNECTED),
    ).toEqual([]);
  });
});
