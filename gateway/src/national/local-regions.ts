/**
 * The `national` data source of the hub gateway: `Region` entity fetches (`_entities` whose
 * representations are all `{ __typename: "Region", … }`) are answered in the gateway from the
 * regions directory `@p2p/schema` ships — the data and the `Region` resolvers the national subgraph
 * itself serves (schema/src/region-directory.ts) — with no hop; every other fetch (`summary`,
 * `dailySeries`, `region`, `regions`, a `Summary` entity, anything not understood) goes to the
 * national service as before.
 *
 * A fetch's selection is compiled once into the keys it asks for (region-selection.ts) and each
 * representation is answered by walking the directory. A selection the compiler does not cover
 * (`@skip`/`@include`, …) is executed against the national subgraph's own schema and `Region`
 * resolvers in process. Either way the answer is the one national gives, byte for byte
 * (local-regions.int.test.ts sends the same fetches to both); an execution that errs is discarded
 * and the fetch sent to national, so errors are always national's own.
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { lookupRegion, regionTypeResolvers, scalarResolvers, subgraphDocument } from '@p2p/schema';
import { RegionFetchAnalyzer, type EntitiesFetch } from './region-fetch.js';
import { renderRegion } from './region-selection.js';

/** The request part of a fetch (what {@link LocalRegionsSource.answer} reads). */
export interface NationalFetch {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const isRegionRepresentation = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { __typename?: unknown }).__typename === 'Region';

/** Answers `Region` entity fetches from the directory; forwards everything else to `national`. */
export class LocalRegionsSource implements GraphQLDataSource {
  private readonly analyzer = new RegionFetchAnalyzer();
  private readonly valid = new WeakMap<DocumentNode, boolean>();
  private schema: GraphQLSchema | undefined;

  /** @param national the data source of the national service, for every other fetch */
  constructor(private readonly national: GraphQLDataSource) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    return (await this.answer(options.request)) ?? this.national.process(options);
  }

  /**
   * The directory's answer to a `Region` entity fetch, exactly as national would give it; undefined
   * when the fetch is anything else (national answers it).
   */
  async answer(request: NationalFetch): Promise<GatewayGraphQLResponse | undefined> {
    if (!request.query) return undefined;
    const fetch = this.analyzer.analyze(request.query, request.operationName);
    if (!fetch) return undefined;
    const representations = request.variables?.[fetch.variable];
    if (!Array.isArray(representations) || !representations.every(isRegionRepresentation)) return undefined;
    if (!fetch.plan) return this.execute(fetch, request.variables ?? {});
    const plan = fetch.plan;
    const entities = representations.map((representation: { code?: unknown }) => {
      const region = lookupRegion(representation.code);
      return region ? renderRegion(region, plan) : null;
    });
    return { data: { [fetch.key]: entities } };
  }

  /** Runs the fetch against the national subgraph's schema with the directory's resolvers. */
  private async execute(
    fetch: EntitiesFetch,
    variables: Record<string, unknown>,
  ): Promise<GatewayGraphQLResponse | undefined> {
    this.schema ??= buildSubgraphSchema([
      {
        typeDefs: subgraphDocument('national'),
        resolvers: { ...scalarResolvers, Region: regionTypeResolvers },
      },
    ]);
    let valid = this.valid.get(fetch.document);
    if (valid === undefined) {
      valid = validate(this.schema, fetch.document).length === 0;
      this.valid.set(fetch.document, valid);
    }
    if (!valid) return undefined;
    const result = await execute({
      schema: this.schema,
      document: fetch.document,
      variableValues: variables,
    });
    if (result.errors?.length) return undefined;
    // Plain objects, as a parsed answer of national would be (graphql-js builds prototype-less ones).
    return { data: JSON.parse(JSON.stringify(result.data)) as Record<string, unknown> };
  }
}
