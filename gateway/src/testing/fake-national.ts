import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  ancestry,
  childRegionCodes,
  findRegion,
  scalarResolvers,
  subgraphDocument,
  NATION,
} from '@p2p/schema';
import { answerGraphQL, sendJson } from '@p2p/runtime';

type Ref = { code: string };
const regionRef = (code: string | null | undefined) => (code && findRegion(code) ? { code } : null);

/** Resolvers of a fake `national` subgraph: the GB/T 2260 directory and the Summary entry point. */
export function nationalResolvers() {
  return {
    RegionCode: scalarResolvers.RegionCode,
    Date: scalarResolvers.Date,
    Query: {
      region: (_: unknown, { code }: { code: string }) => regionRef(code),
      regions: (_: unknown, { parent }: { parent?: string | null }) =>
        childRegionCodes(parent ?? null).map((code) => ({ code })),
      summary: (_: unknown, { scope, day }: { scope?: string | null; day?: string | null }) => ({
        scope: scope ?? NATION,
        day: day ?? 'LATEST',
      }),
      dailySeries: (_: unknown, { scope, from, to }: { scope?: string | null; from: string; to: string }) => {
        const out: { scope: string; day: string }[] = [];
        for (
          let t = Date.parse(`${from}T00:00:00Z`);
          t <= Date.parse(`${to}T00:00:00Z`) && out.length < 366;
          t += 86_400_000
        ) {
          out.push({ scope: scope ?? NATION, day: new Date(t).toISOString().slice(0, 10) });
        }
        return out;
      },
    },
    Region: {
      __resolveReference: (ref: Ref) => regionRef(ref.code),
      name: (r: Ref) => findRegion(r.code)!.name,
      level: (r: Ref) => findRegion(r.code)!.level,
      parent: (r: Ref) => regionRef(findRegion(r.code)!.parent),
      children: (r: Ref) => childRegionCodes(r.code).map((code) => ({ code })),
      fullName: (r: Ref) =>
        ancestry(r.code)
          .map((x) => x.name)
          .join(' '),
    },
    Summary: {
      __resolveReference: (ref: { scope: string; day: string }) => ref,
      region: (s: { scope: string }) => (s.scope === NATION ? null : regionRef(s.scope)),
      /** One level below the scope, carrying its day (the real national subgraph's rule). */
      children: (s: { scope: string; day: string }) =>
        (s.scope === NATION || findRegion(s.scope)
          ? childRegionCodes(s.scope === NATION ? null : s.scope)
          : []
        )
          .slice()
          .sort()
          .map((code) => ({ scope: code, day: s.day })),
    },
  };
}

/** A running fake national subgraph. */
export interface FakeNational {
  /** GraphQL endpoint, e.g. http://127.0.0.1:41000/graphql. */
  url: string;
  close(): Promise<void>;
}

/** Starts a fake `national` subgraph on a random port (GraphQL at `/graphql`). */
export async function startFakeNational(): Promise<FakeNational> {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: subgraphDocument('national'),
      resolvers: nationalResolvers() as never,
    }),
    csrfPrevention: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server: Server = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/graphql')) return sendJson(res, 404, { error: 'not found' });
    answerGraphQL(apollo, req, res, { context: async () => ({}) }).catch(() =>
      sendJson(res, 500, { error: 'fake national failed' }),
    );
  });
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
