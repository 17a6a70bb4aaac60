/**
 * Errors a service answers at its HTTP edge, before GraphQL runs, the same way in every service:
 * a GraphQL response `{ errors: [{ message, extensions: { code } }] }` whose code comes from the
 * one registry (`@p2p/schema` errors.ts), with this status:
 *
 * | case | status | code |
 * | --- | --- | --- |
 * | body larger than the service's limit | 413 | `QUERY_TOO_COMPLEX` (`limit: 'bodySize'`) |
 * | body says JSON but does not parse | 400 | `BAD_USER_INPUT` |
 * | unknown path, or a file a site does not have | 404 | `NOT_FOUND` |
 * | method the path does not serve | 405 (+ `allow`) | `BAD_USER_INPUT` |
 * | unexpected failure | 500 | `INTERNAL_SERVER_ERROR` |
 */
import type { ServerResponse } from 'node:http';
import { hubError } from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import { BodyTooLargeError, MalformedBodyError } from './http-body.js';
import { sendJson } from './http-answers.js';

/** The HTTP status and headers an edge error is answered with. */
interface HttpExtension {
  status?: number;
  headers?: Iterable<[string, string]>;
}

const withHttp = (error: GraphQLError, http: HttpExtension): GraphQLError => {
  Object.assign(error.extensions, { http });
  return error;
};

/** 413 QUERY_TOO_COMPLEX: the body exceeds `maxBytes`; `advice` says what to send instead. */
export function bodyTooLarge(maxBytes: number, advice = 'send less per request'): GraphQLError {
  return withHttp(
    hubError('QUERY_TOO_COMPLEX', `the request body exceeds ${maxBytes} bytes; ${advice}`, {
      limit: 'bodySize',
    }),
    { status: 413 },
  );
}

/** 400 BAD_USER_INPUT: the body is not valid JSON. */
export function malformedBody(): GraphQLError {
  return withHttp(hubError('BAD_USER_INPUT', 'the request body is not valid JSON'), { status: 400 });
}

/** 404 NOT_FOUND: no such path; `served` lists the paths that exist. */
export function noSuchPath(path: string, served: readonly string[]): GraphQLError {
  return withHttp(hubError('NOT_FOUND', `no such path: ${path}; served: ${served.join(', ')}`), {
    status: 404,
  });
}

/** 404 NOT_FOUND: a file a site serves (e.g. the console's) is not there; `why` says what to do. */
export function noSuchFile(path: string, why = 'no such file'): GraphQLError {
  return withHttp(hubError('NOT_FOUND', `${path}: ${why}`), { status: 404 });
}

/** 405 BAD_USER_INPUT with an `allow` header. */
export function methodNotAllowed(method: string, allowed: readonly string[]): GraphQLError {
  return withHttp(hubError('BAD_USER_INPUT', `${method} is not served here; use ${allowed.join(' or ')}`), {
    status: 405,
    headers: [['allow', allowed.join(', ')]],
  });
}

/** 500 INTERNAL_SERVER_ERROR with a neutral message (the cause goes to the log, never to the client). */
export function internalError(): GraphQLError {
  return withHttp(hubError('INTERNAL_SERVER_ERROR', 'internal error; the service logs carry the details'), {
    status: 500,
  });
}

/** The edge error for a failure of {@link readBody}; undefined for anything else. */
export function bodyErrorOf(err: unknown): GraphQLError | undefined {
  if (err instanceof BodyTooLargeError) return bodyTooLarge(err.maxBytes);
  if (err instanceof MalformedBodyError) return malformedBody();
  return undefined;
}

/**
 * Answers a request with one GraphQL error; status and headers come from its `extensions.http`
 * (@default 400), which is not sent.
 */
export function sendError(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: HttpExtension };
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  sendJson(res, http?.status ?? 400, { errors: [{ message: error.message, extensions }] });
}
