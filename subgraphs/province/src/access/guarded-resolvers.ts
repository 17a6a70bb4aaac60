import type { GraphQLFieldResolver } from 'graphql';
import type { ProvinceContext } from '../context.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { seesFiledWorkerInFull, seesWorkerInFull, shown } from './personal-data.js';
import { personWhoReads, READ_RULES, returnRequestScope } from './read-rules.js';
import { callerOf, forbidden } from './request-access.js';
import { WRITE_RULES } from './write-rules.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments are shaped by the schema, not by TypeScript
type Resolver = GraphQLFieldResolver<unknown, ProvinceContext, Record<string, any>>;
type FieldMap = Record<string, unknown>;

/** Wraps every function-valued field of `fields` (other entries, e.g. scalars, are kept). */
function wrapFields(
  fields: FieldMap | undefined,
  wrap: (name: string, resolve: Resolver) => Resolver,
): FieldMap | undefined {
  if (!fields) return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      typeof value === 'function' ? wrap(name, value as Resolver) : value,
    ]),
  );
}

/** Query fields: the system caller reads nothing; lists of people follow READ_RULES. */
const guardQuery =
  (name: string, resolve: Resolver): Resolver =>
  (parent, args, ctx, info) => {
    const caller = callerOf(ctx);
    if (!caller) return resolve(parent, args, ctx, info);
    personWhoReads(name, caller);
    READ_RULES[name]?.(caller, args);
    return resolve(
      parent,
      name === 'returnRequests' ? { ...args, ...returnRequestScope(caller) } : args,
      ctx,
      info,
    );
  };

/** Mutation fields: WRITE_RULES before the transaction; a mutation without a rule is refused. */
const guardMutation =
  (name: string, resolve: Resolver): Resolver =>
  async (parent, args, ctx, info) => {
    const caller = callerOf(ctx);
    if (caller) {
      const rule = WRITE_RULES[name];
      if (!rule)
        throw forbidden(`${name}: no access rule is defined for this mutation yet, so nobody may run it`);
      await rule(ctx, caller, args);
    }
    return resolve(parent, args, ctx, info);
  };

/** `__resolveReference` (the `_entities` entry): the system caller reads no record. */
function guardReference(
  typename: string,
  resolve: (ref: unknown, ctx: ProvinceContext, info: unknown) => unknown,
) {
  return (ref: unknown, ctx: ProvinceContext, info: unknown) => {
    const caller = callerOf(ctx);
    if (caller) personWhoReads(`${typename} reference`, caller);
    return resolve(ref, ctx, info);
  };
}

/** A Worker's idNumber or phone, masked unless the caller may see it in full. */
function workerIdentifier(field: 'idNumber' | 'phone'): Resolver {
  return async (worker, _args, ctx) => {
    const row = worker as { id: string; homeRegion: string; idNumber: string; phone: string };
    const caller = callerOf(ctx);
    return caller ? shown(row[field], await seesWorkerInFull(ctx, caller, row)) : row[field];
  };
}

/** `ReturnRequest.filedWorker` with idNumber and phone masked unless the caller may see them. */
function filedWorker(resolve: Resolver): Resolver {
  return async (request, args, ctx, info) => {
    const value = (await resolve(request, args, ctx, info)) as { idNumber: string; phone: string } | null;
    const caller = callerOf(ctx);
    if (!value || !caller) return value;
    const full = seesFiledWorkerInFull(caller, request as { enterpriseId: string; workerHomeRegion: string });
    return { ...value, idNumber: shown(value.idNumber, full), phone: shown(value.phone, full) };
  };
}

/**
 * A logical subgraph's resolvers with the province's access rules: read and write rules on the
 * root fields, no records for the system caller, and personal identifiers masked by
 * `personal-data.ts`. Unrestricted requests (see `RequestAccess`) pass through untouched.
 */
export function withAccessRules(resolvers: ResolverMap): ResolverMap {
  const guarded: Record<string, unknown> = { ...resolvers };
  const map = resolvers as Record<string, FieldMap | undefined>;
  if (map.Query) guarded.Query = wrapFields(map.Query, guardQuery);
  if (map.Mutation) guarded.Mutation = wrapFields(map.Mutation, guardMutation);
  for (const [typename, fields] of Object.entries(map)) {
    const reference = fields && typeof fields === 'object' ? fields.__resolveReference : undefined;
    if (typeof reference === 'function') {
      guarded[typename] = {
        ...(guarded[typename] as FieldMap),
        __resolveReference: guardReference(typename, reference as never),
      };
    }
  }
  if (map.Worker)
    guarded.Worker = {
      ...(guarded.Worker as FieldMap),
      idNumber: workerIdentifier('idNumber'),
      phone: workerIdentifier('phone'),
    };
  const filed = map.ReturnRequest?.filedWorker;
  if (typeof filed === 'function')
    guarded.ReturnRequest = {
      ...(guarded.ReturnRequest as FieldMap),
      filedWorker: filedWorker(filed as Resolver),
    };
  return guarded as ResolverMap;
}
