import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import {
  CONTRACT_VERSION,
  PREVIOUS_CONTRACT_VERSION,
  contractDifferences,
  contractIncompatibilities,
  declaredContractVersion,
  formatContractVersion,
} from '@p2p/schema';
import type { ShardedSubgraph } from '../shard/sharded-subgraph.js';

/** What the gateway makes of the SDL one province serves for one logical subgraph. */
export interface ServedContract {
  /** The contract version the SDL declares (`1.0`), or null when it declares none. */
  version: string | null;
  /** Why the province cannot be routed to for this subgraph; empty when it can. */
  problems: string[];
  /**
   * What of the gateway's contract it lacks while being routed to: only a province on the previous
   * minor lacks anything (what that minor added).
   */
  lacking: string[];
  /** The served schema, kept when `lacking` is not empty: fetches are checked against it. */
  schema?: GraphQLSchema;
}

const CURRENT = formatContractVersion(CONTRACT_VERSION);

/**
 * Judges a served SDL against the gateway's contract. The version the SDL declares decides the rule:
 * - none (a province from before contract versions) or the gateway's own minor or the next one:
 *   the SDL must keep the whole contract (extra fields are fine);
 * - the previous minor: it must keep the whole previous minor (`sg.previous`), and what it has of
 *   the current contract must have the same types; what the current minor added may be missing
 *   (`lacking`), and fetches asking it are not sent to that province;
 * - another major, or a minor further away: refused.
 */
export function judgeServedContract(sg: ShardedSubgraph, sdl: string): ServedContract {
  let served: ReturnType<typeof parse>;
  try {
    served = parse(sdl);
  } catch {
    return { version: null, problems: ['served SDL does not parse'], lacking: [] };
  }
  const declared = declaredContractVersion(served);
  if (declared === 'unreadable')
    return { version: null, problems: ['its @contract version is not MAJOR.MINOR'], lacking: [] };
  const version = declared && formatContractVersion(declared);
  const refuse = (problem: string): ServedContract => ({ version, problems: [problem], lacking: [] });
  if (!declared || (declared.major === CONTRACT_VERSION.major && declared.minor >= CONTRACT_VERSION.minor)) {
    if (declared && declared.minor > CONTRACT_VERSION.minor + 1)
      return refuse(`serves contract ${version}, more than one minor ahead of the gateway's ${CURRENT}`);
    return { version, problems: contractIncompatibilities(sg.contract, served), lacking: [] };
  }
  if (declared.major !== CONTRACT_VERSION.major)
    return refuse(`serves contract ${version}, another major than the gateway's ${CURRENT}`);
  const isPrevious =
    declared.major === PREVIOUS_CONTRACT_VERSION.major && declared.minor === PREVIOUS_CONTRACT_VERSION.minor;
  if (!isPrevious || !sg.previous)
    return refuse(`serves contract ${version}, more than one minor behind the gateway's ${CURRENT}`);
  const { missing, changed } = contractDifferences(sg.contract, served);
  const problems = [...new Set([...contractIncompatibilities(sg.previous, served), ...changed])];
  if (problems.length || !missing.length) return { version, problems, lacking: [] };
  try {
    return { version, problems, lacking: missing, schema: buildASTSchema(served, { assumeValidSDL: true }) };
  } catch {
    return refuse('served SDL does not build a schema');
  }
}
