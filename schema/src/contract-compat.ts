import { Kind, print, type DocumentNode, type DefinitionNode } from 'graphql';

/** An argument or input field: its type, and whether a caller must give it (non-null, no default). */
interface InputShape {
  type: string;
  required: boolean;
}

/** The parts of a type the contract fixes: kind, fields and their argument types, enum values, union members. */
interface TypeShape {
  kind: string;
  fields: Map<string, { type: string; required: boolean; args: Map<string, InputShape> }>;
  members: Set<string>;
}

const required = (node: { type: { kind: Kind }; defaultValue?: unknown }) =>
  node.type.kind === Kind.NON_NULL_TYPE && !node.defaultValue;

const KIND: Partial<Record<string, string>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'object',
  [Kind.OBJECT_TYPE_EXTENSION]: 'object',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'input',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.ENUM_TYPE_EXTENSION]: 'enum',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.UNION_TYPE_EXTENSION]: 'union',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
};

function add(shapes: Map<string, TypeShape>, def: DefinitionNode): void {
  const kind = KIND[def.kind];
  if (!kind || !('name' in def) || !def.name) return;
  let shape = shapes.get(def.name.value);
  if (!shape) shapes.set(def.name.value, (shape = { kind, fields: new Map(), members: new Set() }));
  if ('fields' in def && def.fields) {
    for (const f of def.fields) {
      const args = new Map<string, InputShape>();
      if ('arguments' in f)
        for (const a of f.arguments ?? [])
          args.set(a.name.value, { type: print(a.type), required: required(a) });
      shape.fields.set(f.name.value, { type: print(f.type), required: required(f), args });
    }
  }
  if ('values' in def && def.values) for (const v of def.values) shape.members.add(v.name.value);
  if ('types' in def && def.types) for (const t of def.types) shape.members.add(t.name.value);
}

function shapesOf(doc: DocumentNode): Map<string, TypeShape> {
  const shapes = new Map<string, TypeShape>();
  for (const def of doc.definitions) add(shapes, def);
  return shapes;
}

/** What a served SDL lacks of a contract (`missing`) and what it has with another shape (`changed`). */
export interface ContractDifferences {
  missing: string[];
  changed: string[];
}

/**
 * Compares a served SDL with a contract: every type, field, argument, enum value and union member of
 * the contract must exist in `served` with the same type (extra ones are fine). Messages name
 * schema elements only.
 */
export function contractDifferences(contract: DocumentNode, served: DocumentNode): ContractDifferences {
  const want = shapesOf(contract);
  const have = shapesOf(served);
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [name, shape] of want) {
    const got = have.get(name);
    if (!got) {
      missing.push(`type ${name} is missing`);
      continue;
    }
    if (got.kind !== shape.kind) {
      changed.push(
        `${name} is ${got.kind === 'input' ? 'an' : 'a'} ${got.kind}, the contract says ${shape.kind}`,
      );
      continue;
    }
    for (const [fieldName, field] of shape.fields) {
      const other = got.fields.get(fieldName);
      if (!other) missing.push(`${name}.${fieldName} is missing`);
      else if (other.type !== field.type)
        changed.push(`${name}.${fieldName} is ${other.type}, the contract says ${field.type}`);
      else {
        for (const [arg, { type }] of field.args) {
          const otherArg = other.args.get(arg);
          if (!otherArg) missing.push(`${name}.${fieldName}(${arg}:) is missing`);
          else if (otherArg.type !== type)
            changed.push(`${name}.${fieldName}(${arg}:) is ${otherArg.type}, the contract says ${type}`);
        }
      }
    }
    for (const member of shape.members) if (!got.members.has(member)) missing.push(`${name} lacks ${member}`);
  }
  return { missing, changed };
}

/**
 * What a province's served SDL lacks of the contract or has with another type: every type, field,
 * argument, enum value and union member of the contract must exist with the same type (extra ones
 * are fine). Empty when compatible. Messages name schema elements only.
 */
export function contractIncompatibilities(contract: DocumentNode, served: DocumentNode): string[] {
  const { missing, changed } = contractDifferences(contract, served);
  return [...missing, ...changed];
}

/**
 * Why `next` is not an additive successor of `previous` (the rule between two minors of one major):
 * anything of `previous` removed or changed, or a new required argument on a field of `previous`,
 * or a new required field on an input type of `previous` (a caller at the previous minor would not
 * send it). Empty when `next` only adds.
 */
export function additiveViolations(previous: DocumentNode, next: DocumentNode): string[] {
  const problems = contractIncompatibilities(previous, next);
  const before = shapesOf(previous);
  for (const [name, shape] of shapesOf(next)) {
    const old = before.get(name);
    if (!old || old.kind !== shape.kind) continue;
    for (const [fieldName, field] of shape.fields) {
      const oldField = old.fields.get(fieldName);
      if (!oldField) {
        if (shape.kind === 'input' && field.required)
          problems.push(`${name}.${fieldName} is a new required input field`);
        continue;
      }
      for (const [arg, { required }] of field.args)
        if (required && !oldField.args.has(arg))
          problems.push(`${name}.${fieldName}(${arg}:) is a new required argument`);
    }
  }
  return problems;
}
