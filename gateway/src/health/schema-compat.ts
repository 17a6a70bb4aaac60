import { Kind, print, type DocumentNode, type DefinitionNode } from 'graphql';

/** The parts of a type the contract fixes: kind, fields and their argument types, enum values, union members. */
interface TypeShape {
  kind: string;
  fields: Map<string, { type: string; args: Map<string, string> }>;
  members: Set<string>;
}

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
      const args = new Map<string, string>();
      if ('arguments' in f) for (const a of f.arguments ?? []) args.set(a.name.value, print(a.type));
      shape.fields.set(f.name.value, { type: print(f.type), args });
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

/**
 * What a province's served SDL lacks of the contract: every type, field, argument, enum value and
 * union member of the contract must exist with the same type (extra ones are fine). Empty when
 * compatible. Messages name schema elements only.
 */
export function contractIncompatibilities(contract: DocumentNode, served: DocumentNode): string[] {
  const want = shapesOf(contract);
  const have = shapesOf(served);
  const problems: string[] = [];
  for (const [name, shape] of want) {
    const got = have.get(name);
    if (!got) {
      problems.push(`type ${name} is missing`);
      continue;
    }
    if (got.kind !== shape.kind) {
      problems.push(
        `${name} is ${got.kind === 'input' ? 'an' : 'a'} ${got.kind}, the contract says ${shape.kind}`,
      );
      continue;
    }
    for (const [fieldName, field] of shape.fields) {
      const other = got.fields.get(fieldName);
      if (!other) problems.push(`${name}.${fieldName} is missing`);
      else if (other.type !== field.type)
        problems.push(`${name}.${fieldName} is ${other.type}, the contract says ${field.type}`);
      else {
        for (const [arg, type] of field.args) {
          const otherArg = other.args.get(arg);
          if (!otherArg) problems.push(`${name}.${fieldName}(${arg}:) is missing`);
          else if (otherArg !== type)
            problems.push(`${name}.${fieldName}(${arg}:) is ${otherArg}, the contract says ${type}`);
        }
      }
    }
    for (const member of shape.members)
      if (!got.members.has(member)) problems.push(`${name} lacks ${member}`);
  }
  return problems;
}
