import { GraphQLError } from 'graphql';
import { hubError, type ErrorCode } from '@p2p/schema';
import type { SubscribeOperation } from '../subscriptions/subscription-admission.js';
import type { ReceivedDocument, TrustedDocuments } from './trusted-documents.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * graphql-ws's `jsonMessageReviver`: a `subscribe` whose payload names an operation by id
 * (`documentId` or `extensions.persistedQuery`) and has no `query` gets `query: ""`, so that
 * graphql-ws accepts the message (it requires a string) and the admission can resolve the id.
 */
export function subscribeByIdReviver(this: unknown, key: string, value: unknown): unknown {
  if (
    key === 'payload' &&
    isObject(this) &&
    this.type === 'subscribe' &&
    isObject(value) &&
    value.query === undefined &&
    (typeof value.documentId === 'string' || (isObject(value.extensions) && value.extensions.persistedQuery))
  )
    return { ...value, query: '' };
  return value;
}

/**
 * The trusted-documents rule for a graphql-ws `subscribe` message, before the query limits: the
 * refusal as graphql-ws sends it (no HTTP status), or undefined after setting `operation.query`
 * to the registered text of its id (graphql-ws parses the payload it gave to `onSubscribe`).
 */
export function subscriptionTrust(
  trusted: TrustedDocuments,
  operation: SubscribeOperation,
): readonly GraphQLError[] | undefined {
  try {
    const resolved = trusted.resolve(operation as unknown as ReceivedDocument, 'websocket');
    if (typeof resolved.query === 'string') operation.query = resolved.query;
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const { http: _http, code, ...rest } = error.extensions ?? {};
    return [hubError(code as ErrorCode, error.message, rest)];
  }
}
