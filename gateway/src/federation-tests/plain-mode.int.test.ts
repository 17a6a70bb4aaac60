import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { startGateway, type RunningGateway } from '../index.js';
import { fetchAdmin, gql, HUB_ADMIN_TOKEN } from '../testing/hub-fixture.js';
import { answerGraphQL, silentLogger } from '@p2p/runtime';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@interfaceObject"])';

const productsSdl = parse(`${LINK}
  type Query {
    products: [Product!]!
    product(upc: String!): Product
    media: [Media!]!
    failing: String
  }
  type Product @key(fields: "upc") { upc: String! name: String! @shareable price: Int! weight: Int! }
  interface Media @key(fields: "id") { id: ID! title: String! }
  type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
  type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
`);

const inventorySdl = parse(`${LINK}
  type Query { warehouses: [Warehouse!]! mediaByRating: [Media!]! }
  type Product @key(fields: "upc") {
    upc: String!
    name: String! @external
    price: Int! @external
    weight: Int! @external
    inStock: Boolean!
    shippingEstimate: Int! @requires(fields: "price weight")
  }
  type Warehouse { id: ID! stocked: [Product!]! @provides(fields: "name") }
  type Media @key(fields: "id") @interfaceObject { id: ID! rating: Float! }
`);

const PRODUCTS = [
  { upc: 'p1', name: 'Mask', price: 10, weight: 1 },
  { upc: 'p2', name: 'Thermometer', price: 250, weight: 3 },
  { upc: 'p3', name: 'Sanitiser', price: 40, weight: 12 },
];
const MEDIA = [
  { __typename: 'Book', id: 'm1', title: 'Going home', pages: 320 },
  { __typename: 'Movie', id: 'm2', title: 'Spring return', minutes: 95 },
];

const productsResolvers = {
  Query: {
    products: () => PRODUCTS,
    product: (_: unknown, { upc }: { upc: string }) => PRODUCTS.find((p) => p.upc === upc) ?? null,
    media: () => MEDIA,
    failing: () => {
      throw new Error('products cannot do that');
    },
  },
  Product: { __resolveReference: (ref: { upc: string }) => PRODUCTS.find((p) => p.upc === ref.upc) },
  Media: {
    __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id),
    __resolveType: (m: { __typename: string }) => m.__typename,
  },
  Book: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) },
  Movie: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) },
};

const inventoryResolvers = {
  Query: {
    warehouses: () => [
      {
        id: 'w1',
        stocked: [
          { upc: 'p1', name: 'Mask (warehouse label)' },
          { upc: 'p3', name: 'Sanitiser (warehouse label)' },
        ],
      },
    ],
    mediaByRating: () => [{ id: 'm2' }, { id: 'm1' }],
  },
  Product: {
    __resolveReference: (ref: { upc: string; price?: number; weight?: number; name?: string }) => ref,
    inStock: (p: { upc: string }) => p.upc !== 'p2',
    shippingEstimate: (p: { price: number; weight: number }) => (p.price > 100 ? 0 : p.weight * 2),
  },
  Media: {
    __resolveReference: (ref: { id: string }) => ref,
    rating: (m: { id: string }) => (m.id === 'm1' ? 4.5 : 3.9),
  },
};

async function serveSubgraph(
  schema: ReturnType<typeof buildSubgraphSchema>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  const server: Server = createServer(
    (req, res) => void answerGraphQL(apollo, req, res, { context: async () => ({}) }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}

const QUERIES: [string, string, Record<string, unknown>?][] = [
  ['@requires', '{ products { upc name price inStock shippingEstimate } }'],
  ['@provides', '{ warehouses { id stocked { upc name inStock } } }'],
  ['@provides, field not provided', '{ warehouses { stocked { upc price shippingEstimate } } }'],
  [
    'interface with @interfaceObject fields',
    '{ media { __typename id title rating ... on Book { pages } ... on Movie { minutes } } }',
  ],
  [
    '@interfaceObject entry point',
    '{ mediaByRating { __typename id title rating ... on Movie { minutes } } }',
  ],
  [
    'variables and aliases',
    'query($upc: String!) { p: product(upc: $upc) { n: name shippingEstimate } missing: product(upc: "none") { name } }',
    { upc: 'p2' },
  ],
  ['a subgraph error', '{ failing products { upc } }'],
  ['a validation error', '{ products { nope } }'],
];

describe('plain mode (no provinces): same answers as @apollo/gateway', () => {
  const closers: (() => Promise<void>)[] = [];
  let ours: RunningGateway;
  let plainUrl: string;

  beforeAll(async () => {
    const products = await serveSubgraph(
      buildSubgraphSchema({ typeDefs: productsSdl, resolvers: productsResolvers as never }),
    );
    const inventory = await serveSubgraph(
      buildSubgraphSchema({ typeDefs: inventorySdl, resolvers: inventoryResolvers as never }),
    );
    closers.push(products.close, inventory.close);
    const composed = composeServices([
      { name: 'products', url: products.url, typeDefs: productsSdl },
      { name: 'inventory', url: inventory.url, typeDefs: inventorySdl },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    const supergraphSdl = composed.supergraphSdl;

    ours = await startGateway({
      port: 0,
      logger: silentLogger,
      supergraphSdl,
      subgraphUrls: { products: products.url, inventory: inventory.url },
      adminToken: HUB_ADMIN_TOKEN,
    });
    closers.push(ours.close);

    const plain = new ApolloServer({
      gateway: new ApolloGateway({
        supergraphSdl,
        buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
      }),
    });
    const { url } = await startStandaloneServer(plain, { listen: { port: 0, host: '127.0.0.1' } });
    plainUrl = url;
    closers.push(() => plain.stop());
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  for (const [label, query, variables] of QUERIES) {
    it(`should answer like @apollo/gateway: ${label}`, async () => {
      const [a, b] = await Promise.all([gql(ours.url, query, variables), gql(plainUrl, query, variables)]);
      expect(a).toEqual(b);
      expect(a.data !== undefined || a.errors !== undefined).toBe(true);
    });
  }

  it('should really resolve across both subgraphs', async () => {
    const res = await gql(
      ours.url,
      '{ products { upc shippingEstimate } media { title rating } warehouses { stocked { name } } }',
    );
    expect(res.data).toEqual({
      warehouses: [
        { stocked: [{ name: 'Mask (warehouse label)' }, { name: 'Sanitiser (warehouse label)' }] },
      ],
      products: [
        { upc: 'p1', shippingEstimate: 2 },
        { upc: 'p2', shippingEstimate: 0 },
        { upc: 'p3', shippingEstimate: 24 },
      ],
      media: [
        { title: 'Going home', rating: 4.5 },
        { title: 'Spring return', rating: 3.9 },
      ],
    });
  });

  it('should show no provinces in /health/details', async () => {
    const health = (await (await fetchAdmin(ours.url, '/health/details')).json()) as {
      status: string;
      provinces: unknown[];
      subgraphs: string[];
    };
    expect(health).toMatchObject({ status: 'ok', provinces: [], subgraphs: ['products', 'inventory'] });
  });
});
