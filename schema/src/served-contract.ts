import { buildASTSchema, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { contractDifferences, contractIncompatibilities } from './contract-compat.js';
import {
  CONTRACT_VERSION,
  PREVIOUS_CONTRACT_VERSION,
  declaredContractVersion,
  formatContractVersion,
} from './contract-version.js';
import { readShardRules, type ShardRule, type ShardRules } from './shard-rules.js';

/**
 * The one judgement of an SDL a province serves for one logical subgraph against the contract:
 * the gateway's health check routes by it, and the conformance kit (`@p2p/conformance`) reports it.
 */

/** The contract of one logical subgraph, as a judge needs it. */
export interface SubgraphContract {
  /** The contract SDL of the subgraph (current minor). */
  contract: DocumentNode;
  /** The previous minor's SDL of the subgraph (what a province one minor behind must keep). */
  previous?: DocumentNode;
}

/** What a judge makes of the SDL one province serves for one logical subgraph. */
export interface ServedContract {
  /** The contract version the SDL declares (`1.0`), or null when it declares none. */
  version: string | null;
  /** Why the province cannot be routed to for this subgraph; empty when it can. */
  problems: string[];
  /**
   * What of the current contract it lacks while being routed to: only a province on the previous
   * minor lacks anything (what that minor added).
   */
  lacking: string[];
  /** The served schema, kept when `lacking` is not empty: fetches are checked against it. */
  schema?: GraphQLSchema;
}

const CURRENT = formatContractVersion(CONTRACT_VERSION);

/**
 * Judges a served SDL against the contract. The version the SDL declares decides the rule:
 * - none (a province from before contract versions) or the contract's own minor or the next one:
 *   the SDL must keep the whole contract (extra fields are fine);
 * - the previous minor: it must keep the whole previous minor (`sg.previous`), and what it has of
 *   the current contract must have the same types; what the current minor added may be missing
 *   (`lacking`), and fetches asking it are not sent to that province;
 * - another major, or a minor further away: refused.
 * Every `@shard` rule the served SDL carries for an element of the contract must be the rule of the
 * minor it serves ({@link shardRuleDifferences}): for a province on the previous minor the previous
 * minor's; for one on the current minor the contract's or, where it differs, the previous minor's
 * (a minor may narrow a routing rule, as 1.2 did for `Summary`'s transport and health parts in
 * #17.2, and provinces of 1.2 built before that carry the old rule; the gateway routes by its own
 * contract either way).
 */
export function judgeServedSdl(sg: SubgraphContract, sdl: string): ServedContract {
  let served: DocumentNode;
  try {
    served = parse(sdl);
  } catch {
    return { version: null, problems: ['served SDL does not parse'], lacking: [] };
  }
  const verdict = judgeVersioned(sg, served);
  const onPrevious = verdict.version === formatContractVersion(PREVIOUS_CONTRACT_VERSION) && sg.previous;
  let rules = shardRuleDifferences(onPrevious || sg.contract, served);
  if (rules.length && !onPrevious && sg.previous) {
    // A province of this minor built before a rule was narrowed (1.2 before #17.2) still carries
    // the previous minor's rule: routing is the gateway's, so that rule is no conflict either.
    const elementOf = (problem: string) => problem.slice(0, problem.indexOf(' has '));
    const alsoPrevious = new Set(shardRuleDifferences(sg.previous, served).map(elementOf));
    rules = rules.filter((problem) => alsoPrevious.has(elementOf(problem)));
  }
  return rules.length ? { ...verdict, problems: [...verdict.problems, ...rules] } : verdict;
}

function judgeVersioned(sg: SubgraphContract, served: DocumentNode): ServedContract {
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

const describeRule = (rule: ShardRule | undefined) =>
  rule
    ? `@shard(${[
        `by: ${JSON.stringify(rule.by)}`,
        `merge: "${rule.merge}"`,
        ...(rule.orderBy ? [`orderBy: "${rule.orderBy}"`] : []),
        ...(rule.key ? [`key: "${rule.key}"`] : []),
        ...(rule.of ? [`of: ${JSON.stringify(rule.of)}`] : []),
      ].join(', ')})`
    : 'no @shard';

const sameRule = (a: ShardRule | undefined, b: ShardRule | undefined) => describeRule(a) === describeRule(b);

/**
 * Where a served SDL's `@shard` rules differ from the contract's, for the elements both have (a
 * missing element is a contract difference, reported once there): a root field, an entity or a
 * merged field routed or merged otherwise than the gateway will. Empty when they agree, or when the
 * served SDL prints no `@shard` at all (a province's own system need not declare the gateway's
 * routing; the gateway routes by the contract either way).
 */
export function shardRuleDifferences(contract: DocumentNode, served: DocumentNode): string[] {
  let have: ShardRules;
  try {
    have = readShardRules(served);
  } catch (err) {
    return [`its @shard rules do not read: ${(err as Error).message}`];
  }
  const printed = have.rootFields.size + have.entities.size + have.fields.size > 0;
  if (!printed) return [];
  const want = readShardRules(contract);
  const elements = presentElements(served);
  const contractElements = presentElements(contract);
  const problems: string[] = [];
  for (const part of ['rootFields', 'entities', 'fields'] as const) {
    for (const [name, rule] of want[part]) {
      if (!elements.has(name)) continue;
      const got = have[part].get(name);
      if (!sameRule(rule, got))
        problems.push(`${name} has ${describeRule(got)}, the contract says ${describeRule(rule)}`);
    }
    for (const [name, rule] of have[part])
      if (!want[part].has(name) && elements.has(name) && contractElements.has(name))
        problems.push(`${name} has ${describeRule(rule)}, the contract says no @shard`);
  }
  return problems;
}

/** `Type` and `Type.field` names an SDL defines. */
function presentElements(doc: DocumentNode): Set<string> {
  const names = new Set<string>();
  for (const def of doc.definitions) {
    if (!('name' in def) || !def.name) continue;
    names.add(def.name.value);
    if ('fields' in def && def.fields)
      for (const f of def.fields) names.add(`${def.name.value}.${f.name.value}`);
  }
  return names;
}
