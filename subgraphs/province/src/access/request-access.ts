import { hubError, regionContains, type Caller } from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import type { ProvinceContext } from '../context.js';

/**
 * What a request may do, bound to its context when the gateway's signature was checked:
 * - `caller`: the access rules of `caller` apply;
 * - `unrestricted`: no rules (a province started without a gateway key in development or by its
 *   own unit tests, see `requireGatewaySignature`).
 */
export type RequestAccess = { kind: 'caller'; caller: Caller } | { kind: 'unrestricted' };

/**
 * The request's access rides on its context under a symbol key: Apollo Server shallow-clones
 * the context for each operation (`Object.assign`, which copies symbol-keyed properties), so a
 * WeakMap keyed by the context object would not find the clone.
 */
const ACCESS = Symbol('p2p.requestAccess');
type WithAccess = ProvinceContext & { [ACCESS]?: RequestAccess };

/** Binds a request's access to its context (read-only once bound). */
export function bindAccess(ctx: ProvinceContext, access: RequestAccess): void {
  Object.defineProperty(ctx, ACCESS, {
    value: access,
    enumerable: true,
    writable: false,
    configurable: false,
  });
}

/**
 * The request's access. A context that was never admitted fails closed.
 * @throws GraphQLError INTERNAL_SERVER_ERROR when nothing was bound (a wiring mistake).
 */
export function accessOf(ctx: ProvinceContext): RequestAccess {
  const access = (ctx as WithAccess)[ACCESS];
  if (!access) throw hubError('INTERNAL_SERVER_ERROR', 'request reached a resolver without an access check');
  return access;
}

/** The caller of a request, or undefined when the request is unrestricted. */
export function callerOf(ctx: ProvinceContext): Caller | undefined {
  const access = accessOf(ctx);
  return access.kind === 'caller' ? access.caller : undefined;
}

/**
 * The caller of a request for rules checked deep inside a mutation, in code that tests and scripts
 * also call directly with a bare context: undefined when unrestricted or when nothing was bound.
 * Every GraphQL request is bound (the guarded resolvers call {@link callerOf} first), so this
 * never opens a GraphQL path; it only lets direct calls run without rules.
 */
export function callerIfBound(ctx: ProvinceContext): Caller | undefined {
  const access = (ctx as WithAccess)[ACCESS];
  return access?.kind === 'caller' ? access.caller : undefined;
}

/** True for a province or city officer whose region contains `region`. */
export function officerCovers(caller: Caller, region: string | null | undefined): boolean {
  return (
    (caller.role === 'province' || caller.role === 'city') &&
    !!caller.region &&
    !!region &&
    regionContains(caller.region, region)
  );
}

/** FORBIDDEN with a message saying what the caller may not do and why. */
export function forbidden(message: string): GraphQLError {
  return hubError('FORBIDDEN', message);
}

/** "province 450000", "city 450200", "enterprise E11-…", "worker W45-…", "the ministry": the caller in a message. */
export function callerWords(caller: Caller): string {
  switch (caller.role) {
    case 'ministry':
      return 'the ministry';
    case 'system':
      return "the gateway's system caller";
    case 'relay':
      return 'the relay';
    case 'enterprise':
      return `enterprise ${caller.enterpriseId}`;
    case 'worker':
      return `worker ${caller.workerId}`;
    default:
      return `${caller.role} ${caller.region}`;
  }
}
