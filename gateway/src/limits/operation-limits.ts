import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';
import {
  badInput,
  contractCostWeights,
  contractListSizes,
  hubError,
  type Caller,
  type ListSizes,
} from '@p2p/schema';
import { GraphQLError, getOperationAST, Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { PUBLIC_ROOT_FIELDS } from '../auth/auth-options.js';
import { assertPublicFields } from '../auth/public-fields-plugin.js';
import { assertCost } from './cost-limit.js';
import { assertDepth } from './depth-limit.js';
import { assertDocumentShape } from './document-shape.js';
import { tooComplex } from './limit-errors.js';
import type { QueryLimits } from './limit-options.js';
import { assertPageSizes } from './page-size-limit.js';
import { operationScope } from './selections.js';

/** The gateway's operation limits, whatever the schema. */
export interface OperationLimitRules {
  limits: QueryLimits;
  /** Length bounds of list fields by `Type.field`. */
  listSizes: ListSizes;
  /** Cost weights by type name or `Type.field`. */
  weights: ReadonlyMap<string, number>;
  /** Root query fields anonymous callers may read. */
  publicRootFields: ReadonlySet<string>;
}

/** How an operation arrived: subscriptions are served over the WebSocket only. */
export type Transport = 'http' | 'websocket';

/** What the operation limits read an operation against: the rules and the gateway's API schema. */
export interface OperationLimitPolicy extends OperationLimitRules {
  schema: GraphQLSchema;
}

/** Options of {@link operationLimitRules}. */
export interface OperationLimitRulesOptions {
  /** @default the contract's `@listSize` bounds (contractListSizes) */
  listSizes?: ListSizes;
  /** @default the contract's `@cost` weights (contractCostWeights) */
  weights?: ReadonlyMap<string, number>;
  /** @default PUBLIC_ROOT_FIELDS */
  publicRootFields?: readonly string[];
}

/** The rules of the gateway's operation limits. */
export function operationLimitRules(
  limits: QueryLimits,
  options: OperationLimitRulesOptions = {},
): OperationLimitRules {
  return {
    limits,
    listSizes: options.listSizes ?? contractListSizes(),
    weights: options.weights ?? contractCostWeights(),
    publicRootFields: new Set(options.publicRootFields ?? PUBLIC_ROOT_FIELDS),
  };
}

/**
 * Documents parsed by the admission, by token limit and text: clients send the same few operations
 * again and again, so each is parsed once (Apollo Server keeps its own parsed copy for execution).
 * Bounded by the texts' total length; documents are never mutated.
 */
const parsedDocuments = new LRUCache<string, DocumentNode>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (_document, key) => Math.max(1, key.length),
});

/**
 * Parses a document, giving up past `maxTokens` lexical tokens (graphql-js stops counting there,
 * so a huge document costs no more than a large one).
 * @throws GraphQLError QUERY_TOO_COMPLEX (`limit: 'tokens'`) past the limit; graphql-js's syntax error otherwise.
 */
export function parseWithinLimits(query: string, maxTokens: number): DocumentNode {
  const key = `${maxTokens}:${query}`;
  const known = parsedDocuments.get(key);
  if (known) return known;
  try {
    const document = parse(query, { maxTokens, noLocation: true });
    parsedDocuments.set(key, document);
    return document;
  } catch (err) {
    if (err instanceof GraphQLError && /Document contains more tha[nt] \d+ tokens/.test(err.message)) {
      throw tooComplex(
        `the document holds more than ${maxTokens} tokens; send a smaller one (fewer aliases or fields)`,
        'tokens',
      );
    }
    throw err;
  }
}

/**
 * Every limit of one operation, on the document as parsed, before it is validated (so that a
 * document built to be costly to validate is refused first, in microseconds): the document's
 * shape (aliases, repeated fields), the public fields when the caller is anonymous (`null`), then
 * the executed operation's page sizes, depth and cost. A document without the named operation is
 * left to validation, unless it was named: then BAD_USER_INPUT.
 * @throws GraphQLError QUERY_TOO_COMPLEX (`extensions.limit` names the limit), UNAUTHENTICATED or
 * BAD_USER_INPUT.
 */
export function checkOperationLimits(
  document: DocumentNode,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  policy: OperationLimitPolicy,
  caller?: Caller | null,
  over: Transport = 'websocket',
): void {
  const { limits } = policy;
  assertDocumentShape(document, limits);
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) {
    // Named but absent, or several and none named: the gateway's planner would fail on it with
    // an HTTP 500 (INVALID_GRAPHQL) instead of validation's clear answer.
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (typeof request.operationName !== 'string' && operations.length > 1)
      throw badInput(
        'operationName: the document has several operations; name the one to run',
        'operationName',
      );
    if (typeof request.operationName === 'string')
      throw badInput(
        `operationName: the document has no operation named "${request.operationName.slice(0, 64)}"`,
        'operationName',
      );
    return;
  }
  if (caller === null) assertPublicFields(operation, document, policy.publicRootFields);
  if (operation.operation === 'subscription' && over === 'http')
    throw badInput('subscriptions are served over graphql-ws (ws://<gateway>/graphql), not over HTTP');
  const scope = operationScope(policy.schema, document, request.variables ?? undefined, operation);
  assertDepth(scope, operation, limits.maxDepth);
  assertPageSizes(scope, operation, limits.maxPageSize);
  assertCost(scope, operation, limits.maxCost, {
    ...limits,
    listSizes: policy.listSizes,
    weights: policy.weights,
  });
}

/** One GraphQL-over-HTTP operation as received: a body (or batch element), or GET parameters. */
export interface ReceivedOperation {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

const asVariables = (value: unknown): Record<string, unknown> | undefined => {
  if (typeof value === 'string') {
    try {
      return asVariables(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
};

/**
 * Admits one received operation: parses its text within the token limit and checks every limit
 * ({@link checkOperationLimits}). What is not a query text (a persisted-query hash, a malformed
 * body) or does not parse is left to Apollo Server, which reports it.
 * @throws GraphQLError QUERY_TOO_COMPLEX or UNAUTHENTICATED.
 */
export function admitOperation(
  received: ReceivedOperation,
  policy: OperationLimitPolicy,
  caller?: Caller | null,
  over: Transport = 'websocket',
): void {
  if (typeof received.query !== 'string') return;
  let document: DocumentNode;
  try {
    document = parseWithinLimits(received.query, policy.limits.maxTokens);
  } catch (err) {
    if ((err as GraphQLError).extensions?.code === 'QUERY_TOO_COMPLEX') throw err;
    return;
  }
  const operationName = typeof received.operationName === 'string' ? received.operationName : undefined;
  checkOperationLimits(
    document,
    { operationName, variables: asVariables(received.variables) },
    policy,
    caller,
    over,
  );
}

/**
 * Admits every operation of a `/graphql` request before Apollo Server parses and validates it:
 * the GET parameters, the POST body or each element of a batch.
 * @throws GraphQLError QUERY_TOO_COMPLEX or UNAUTHENTICATED for the first operation refused.
 */
export function admitRequest(
  req: IncomingMessage,
  body: unknown,
  policy: OperationLimitPolicy,
  caller: Caller | null,
): void {
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://gateway.local').searchParams;
    admitOperation(
      {
        query: params.get('query') ?? undefined,
        operationName: params.get('operationName') ?? undefined,
        variables: params.get('variables') ?? undefined,
      },
      policy,
      caller,
      'http',
    );
    return;
  }
  for (const received of Array.isArray(body) ? body : [body]) {
    if (received && typeof received === 'object')
      admitOperation(received as ReceivedOperation, policy, caller, 'http');
  }
}

/**
 * The graphql-ws `onSubscribe` check: the same limits for a subscription, before graphql-ws
 * validates it. Returns the refusal as graphql-ws sends it (an `error` message; no HTTP status
 * in the extensions), or undefined to go on.
 */
export function subscriptionRefusal(
  payload: ReceivedOperation,
  policy: OperationLimitPolicy,
): readonly GraphQLError[] | undefined {
  try {
    admitOperation(payload, policy);
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const { http: _http, code, ...rest } = error.extensions ?? {};
    return [hubError(code as 'QUERY_TOO_COMPLEX', error.message, rest)];
  }
}
