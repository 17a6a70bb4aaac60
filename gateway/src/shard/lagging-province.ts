import {
  FieldsOnCorrectTypeRule,
  Kind,
  KnownArgumentNamesRule,
  KnownTypeNamesRule,
  PossibleFragmentSpreadsRule,
  ProvidedRequiredArgumentsRule,
  ValuesOfCorrectTypeRule,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ProvinceRequest } from './province-client.js';

/**
 * The rules that tell whether a fetch the gateway built from its contract asks something an
 * older served schema lacks: unknown fields, arguments, types and enum values (in literals), and
 * required arguments. Fetches are valid against the contract, so the other rules cannot fail.
 */
const RULES = [
  FieldsOnCorrectTypeRule,
  KnownArgumentNamesRule,
  KnownTypeNamesRule,
  PossibleFragmentSpreadsRule,
  ProvidedRequiredArgumentsRule,
  ValuesOfCorrectTypeRule,
];

interface Checked {
  document: DocumentNode;
  /** The first thing the schema lacks, or undefined. */
  lacks: string | undefined;
}

/** Per served schema: fetch text → verdict (the same fetch texts come back for every request). */
const checked = new WeakMap<GraphQLSchema, Map<string, Checked>>();
const MAX_TEXTS = 500;

function check(schema: GraphQLSchema, query: string): Checked {
  let texts = checked.get(schema);
  if (!texts) checked.set(schema, (texts = new Map()));
  let verdict = texts.get(query);
  if (!verdict) {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch {
      // Not the gateway's own fetch text: let the province judge it, as for any other province.
      return { document: { kind: Kind.DOCUMENT, definitions: [] }, lacks: undefined };
    }
    verdict = { document, lacks: validate(schema, document, RULES)[0]?.message };
    if (texts.size >= MAX_TEXTS) texts.clear();
    texts.set(query, verdict);
  }
  return verdict;
}

/**
 * What a province serving `schema` (an earlier minor of the contract) lacks to answer `request`: a
 * field, argument, type or enum value its minor does not have, in the document or in the
 * variables' input objects (e.g. a new input field). Undefined when it can answer.
 * Messages name schema elements only (graphql-js's own, e.g. `Cannot query field "runs" on type "Trip".`).
 */
export function whatProvinceLacks(schema: GraphQLSchema, request: ProvinceRequest): string | undefined {
  const { document, lacks } = check(schema, request.query);
  if (lacks) return lacks;
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION &&
      (!request.operationName || d.name?.value === request.operationName),
  );
  if (!operation?.variableDefinitions?.length) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, {
    maxErrors: 1,
  });
  const error = coerced.errors?.[0];
  // The outer message quotes the variable's value (personal data); the inner one names schema elements.
  return error && (error.originalError?.message ?? 'a variable does not fit the schema it serves');
}
