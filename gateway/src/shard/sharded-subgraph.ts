import { Kind, buildASTSchema, concatAST, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { readShardRules, subgraphDocument, type ProvinceSubgraph, type ShardRules } from '@p2p/schema';

/**
 * What the gateway knows, once at start, about one logical province subgraph: its contract schema
 * (for type information while rewriting and merging) and its `@shard` routing and merge rules.
 */
export interface ShardedSubgraph {
  /** Logical subgraph name, e.g. `transport`; also the path segment of its province URL. */
  name: string;
  /** The contract SDL as a subgraph schema (with `_entities`, `_Any`, `_service`; see {@link contractSchema}). */
  schema: GraphQLSchema;
  /** The contract SDL as parsed. */
  contract: DocumentNode;
  /** The previous minor's SDL of this subgraph (what a province one minor behind must keep). */
  previous?: DocumentNode;
  /** Routing and merge rules read from the SDL's `@shard` directives. */
  rules: ShardRules;
}

/** Field-name prefix of the aliases the gateway adds to fetches and strips from answers. */
export const SHARD_ALIAS_PREFIX = '__shard_';

/**
 * The contract SDL as a schema with the federation entry points the query planner's fetches use
 * (`_entities`, `_Any`, `_Entity`, `_service`). Built with this module's own `graphql`, so type
 * checks never cross two copies of graphql-js (as `@apollo/subgraph`'s CommonJS one can in tests).
 */
export function contractSchema(typeDefs: DocumentNode): GraphQLSchema {
  const entities = new Set<string>();
  for (const def of typeDefs.definitions) {
    if (
      (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      def.directives?.some((d) => d.name.value === 'key')
    ) {
      entities.add(def.name.value);
    }
  }
  const federation = parse(`
    scalar _Any
    type _Service { sdl: String }
    ${entities.size ? `union _Entity = ${[...entities].join(' | ')}` : ''}
    extend type Query {
      ${entities.size ? '_entities(representations: [_Any!]!): [_Entity]!' : ''}
      _service: _Service!
    }`);
  return buildASTSchema(concatAST([typeDefs, federation]), { assumeValidSDL: true });
}

/**
 * Reads a logical subgraph of the contract.
 * @param typeDefs the contract SDL; @default subgraphDocument(name) from `@p2p/schema`
 * @param previous the previous minor's SDL (null: none, no older minor is accepted); @default subgraphDocument(name, 'previous')
 */
export function loadShardedSubgraph(
  name: ProvinceSubgraph,
  typeDefs: DocumentNode = subgraphDocument(name),
  previous: DocumentNode | null = subgraphDocument(name, 'previous'),
): ShardedSubgraph {
  return {
    name,
    schema: contractSchema(typeDefs),
    contract: typeDefs,
    ...(previous ? { previous } : {}),
    rules: readShardRules(typeDefs),
  };
}
