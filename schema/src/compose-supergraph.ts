/**
 * Composes the supergraph from the contract and writes schema/supergraph.graphql.
 * Run: npm run compose. A test fails when the checked-in file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { ALL_SUBGRAPHS, subgraphDocument } from './contract.js';

/** Placeholder URL of a logical subgraph in the supergraph; the gateway's router replaces it. */
export const subgraphPlaceholderUrl = (name: string) => `http://${name}.subgraph.invalid/graphql`;

/** Composes the contract's subgraphs; throws with every composition error. */
export function composeContract(): { supergraphSdl: string; hints: string[] } {
  const result = composeServices(
    ALL_SUBGRAPHS.map((name) => ({
      name,
      url: subgraphPlaceholderUrl(name),
      typeDefs: subgraphDocument(name),
    })),
  );
  if (result.errors)
    throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return {
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { supergraphSdl, hints } = composeContract();
  writeFileSync(fileURLToPath(new URL('../supergraph.graphql', import.meta.url)), supergraphSdl);
  for (const h of hints) console.log(`hint ${h}`);
  console.log('wrote schema/supergraph.graphql');
}
