import type { GraphQLFormattedError } from 'graphql';
import { hubError } from '@p2p/schema';

/** Why a fetch to a province failed. */
export type ProvinceFailure =
  | 'timeout'
  | 'network'
  | 'http'
  | 'down'
  | 'not_connected'
  | 'incompatible'
  | 'behind'
  | 'conformance';

/** A fetch to a province that brought no GraphQL answer. */
export class ProvinceFetchError extends Error {
  constructor(
    readonly province: string,
    readonly reason: ProvinceFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ProvinceFetchError';
  }
}

type Path = readonly (string | number)[];

const MESSAGES: Record<ProvinceFailure, string> = {
  timeout: 'did not answer in time',
  network: 'could not be reached',
  http: 'answered with an HTTP error',
  down: 'is down (its last fetch or health check failed)',
  not_connected: 'is not connected to the hub',
  incompatible: 'serves a schema incompatible with the contract and is not routed to',
  behind: 'runs an earlier minor of the contract that lacks what this part asks, until it is upgraded',
  conformance:
    'has no passing conformance kit report for this gateway (missing, failed, or for another province or contract) and is not routed to',
};

/** The failures that are PROVINCE_INCOMPATIBLE: the province is not asked (or cannot answer) by the contract. */
const INCOMPATIBLE = new Set<ProvinceFailure>(['incompatible', 'behind', 'conformance']);

/**
 * The error that stands for a province's missing part of an answer: PROVINCE_INCOMPATIBLE for an
 * incompatible province, one whose earlier contract minor lacks what the part asks (`behind`;
 * `detail` says what, e.g. `Cannot query field "runs" on type "Trip".`) or one refused for its last
 * conformance kit report (`conformance`; `/health/details` says why), PROVINCE_UNAVAILABLE
 * otherwise; `extensions.province` and `extensions.reason` name it and why.
 */
export function provinceError(
  province: string,
  reason: ProvinceFailure,
  path?: Path,
  detail?: string,
): GraphQLFormattedError {
  const code = INCOMPATIBLE.has(reason) ? 'PROVINCE_INCOMPATIBLE' : 'PROVINCE_UNAVAILABLE';
  const error = hubError(
    code,
    `province ${province} ${MESSAGES[reason]}${detail ? ` (${detail})` : ''}; its part of the answer is missing`,
    { province, reason },
  );
  const formatted = error.toJSON();
  return path ? { ...formatted, path: [...path] } : formatted;
}

/** A province's own error, tagged with the province and moved to `path` (undefined: dropped path). */
export function fromProvince(
  error: GraphQLFormattedError,
  province: string,
  path: Path | undefined = error.path,
): GraphQLFormattedError {
  const { locations: _locations, path: _path, ...rest } = error;
  return { ...rest, ...(path ? { path: [...path] } : {}), extensions: { ...error.extensions, province } };
}

/**
 * Drops repeated errors: the same message, code and path from several provinces (e.g. the same
 * BAD_USER_INPUT from every shard of a scatter) is reported once.
 */
export function dedupeErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const code = e.extensions?.code;
    const key =
      code === 'PROVINCE_UNAVAILABLE' || code === 'PROVINCE_INCOMPATIBLE'
        ? `${e.message}\0${JSON.stringify(e.path)}`
        : `${e.message}\0${String(code)}\0${JSON.stringify(e.path)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
