import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { MergeScope } from './merge-answers.js';
import { selectedFields } from './selected-fields.js';

type Answer = Record<string, unknown>;

/**
 * The answer of a summed (`SUM`) entity that no province of the hub holds a part of, e.g. the
 * workers of a `Summary` whose scope lies in a province that is not connected: nothing is recorded
 * there in this hub, so every count reads 0, what a province answers for a scope without records.
 * Key fields and `__typename` come from the representation; numbers are 0, lists empty, objects
 * zero all the way down; any other leaf is null (a summed type has none outside its key).
 */
export function zeroAnswer(
  representation: Answer,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  scope: MergeScope,
): Answer {
  const answer = zeroObject(type, sets, scope);
  for (const key of Object.keys(answer)) if (key in representation) answer[key] = representation[key];
  return answer;
}

function zeroObject(type: GraphQLObjectType, sets: readonly SelectionSetNode[], scope: MergeScope): Answer {
  const answer: Answer = {};
  for (const [key, field] of selectedFields(scope.schema, type, sets, scope.fragments)) {
    if (field.fieldName === '__typename') {
      answer[key] = type.name;
      continue;
    }
    const fieldType = field.type && (isNonNullType(field.type) ? field.type.ofType : field.type);
    const named = fieldType && getNamedType(fieldType);
    if (!fieldType || !named) answer[key] = null;
    else if (isListType(fieldType)) answer[key] = [];
    else if (isObjectType(named)) answer[key] = zeroObject(named, field.selectionSets, scope);
    else answer[key] = named.name === 'Int' || named.name === 'Float' ? 0 : null;
  }
  return answer;
}

/** Response keys of the parts a representation asks for: its selected fields but key fields and `__typename`. */
export function summedParts(
  representation: Answer,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  scope: MergeScope,
): string[] {
  return [...selectedFields(scope.schema, type, sets, scope.fragments)]
    .filter(([key, field]) => field.fieldName !== '__typename' && !(key in representation))
    .map(([key]) => key);
}
