import { Kind, parse, type DocumentNode } from 'graphql';

/**
 * A version of the province contract, `MAJOR.MINOR`. Within one major every minor is an additive
 * superset of the one before (no type, field, argument or enum value removed or changed, no new
 * required argument or input field), so a gateway and provinces one minor apart understand each
 * other during a rolling upgrade; another major is refused.
 */
export interface ContractVersion {
  major: number;
  minor: number;
}

/**
 * The contract the SDL in `schema/sdl/` describes. Bump the minor for an additive change (and move
 * the snapshot in `schema/sdl/previous/` to the release before it), the major for anything else.
 */
export const CONTRACT_VERSION: ContractVersion = { major: 1, minor: 2 };

/**
 * The minor before {@link CONTRACT_VERSION}, whose SDL is kept in `schema/sdl/previous/`: 1.1, the
 * contract of #15 (shuttle runs, key figures, job posts…) as released before 1.2 added
 * `TransportStats.corridors` (1.0 was the contract before #15, commit e22670e^, the first one the
 * hub numbered).
 */
export const PREVIOUS_CONTRACT_VERSION: ContractVersion = { major: 1, minor: 1 };

/** Which contract a service serves: the current one, or the previous minor's snapshot. */
export type ContractRelease = 'current' | 'previous';

/** The version of a release of the contract. */
export function contractVersionOf(release: ContractRelease): ContractVersion {
  return release === 'previous' ? PREVIOUS_CONTRACT_VERSION : CONTRACT_VERSION;
}

/** `{ major: 1, minor: 1 }` → `1.1`. */
export function formatContractVersion(version: ContractVersion): string {
  return `${version.major}.${version.minor}`;
}

/** `1.1` → `{ major: 1, minor: 1 }`; undefined for anything else. */
export function parseContractVersion(text: string): ContractVersion | undefined {
  const match = /^(\d{1,4})\.(\d{1,4})$/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** The schema directive that carries the contract version in a province's served SDL. */
export const CONTRACT_DIRECTIVE = 'contract';

/**
 * The SDL a province adds to each subgraph it serves so that its `_service { sdl }` names its
 * contract version: `extend schema @contract(version: "1.1")`. Not part of the contract SDL, so the
 * composed supergraph (and its API) is unchanged.
 */
export function contractVersionTypeDefs(version: ContractVersion): DocumentNode {
  return parse(`
    """The version (MAJOR.MINOR) of the hub contract this schema keeps."""
    directive @${CONTRACT_DIRECTIVE}(version: String!) on SCHEMA
    extend schema @${CONTRACT_DIRECTIVE}(version: "${formatContractVersion(version)}")
  `);
}

/**
 * The contract version a served SDL declares: the `version` of its schema's `@contract`
 * directive; `null` when it declares none (a province from before contract versions);
 * `'unreadable'` when the directive is there but its value is not `MAJOR.MINOR`.
 */
export function declaredContractVersion(served: DocumentNode): ContractVersion | null | 'unreadable' {
  for (const def of served.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of def.directives ?? []) {
      if (directive.name.value !== CONTRACT_DIRECTIVE) continue;
      const arg = directive.arguments?.find((a) => a.name.value === 'version');
      const version = arg?.value.kind === Kind.STRING ? parseContractVersion(arg.value.value) : undefined;
      return version ?? 'unreadable';
    }
  }
  return null;
}
