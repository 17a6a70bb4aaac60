/**
 * Parsed and validated subscription documents, kept by query text and schema. The gateway opens
 * one upstream subscription per (destination filter, province) with the same few query texts:
 * ~310 per province at 31 provinces, all again after a gateway restart. Parsing and validating
 * each one anew (graphql-ws's default) was most of a province's CPU while they were opened.
 * A parsed document is never mutated by graphql-js, so one is shared by every subscription of
 * its text; validation depends only on the schema and the document, so its errors are kept with
 * them.
 */
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  type Source,
  validate,
} from 'graphql';
import { LRUCache } from 'lru-cache';

/** Options of {@link DocumentCache}. */
export interface DocumentCacheOptions {
  /** Query texts kept (the least recently used is dropped past it). @default 500 */
  maxDocuments?: number;
  /** Longer query texts are parsed every time, never kept. @default 16_384 */
  maxQueryLength?: number;
}

/** `parse` and `validate` for graphql-ws's server, each done once per query text (and schema). */
export class DocumentCache {
  /** The least recently used text is dropped past `maxDocuments`. */
  private readonly documents: LRUCache<string, DocumentNode>;
  private readonly validations = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  private readonly maxQueryLength: number;
  /** Texts parsed and validations run (for tests and metrics). */
  readonly counts = { parsed: 0, validated: 0 };

  constructor(options: DocumentCacheOptions = {}) {
    this.documents = new LRUCache({ max: options.maxDocuments ?? 500 });
    this.maxQueryLength = options.maxQueryLength ?? 16_384;
  }

  /** The document of `query` (throws graphql's syntax error as `parse` does); a `Source` is parsed every time. */
  parse = (query: string | Source): DocumentNode => {
    if (typeof query !== 'string') return parse(query);
    const kept = this.documents.get(query);
    if (kept) return kept;
    this.counts.parsed++;
    const document = parse(query);
    if (query.length <= this.maxQueryLength) this.documents.set(query, document);
    return document;
  };

  /** The validation errors of `document` against `schema` (none: valid). */
  validate = (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    let bySchema = this.validations.get(schema);
    if (!bySchema) this.validations.set(schema, (bySchema = new WeakMap()));
    let errors = bySchema.get(document);
    if (!errors) {
      this.counts.validated++;
      errors = validate(schema, document);
      bySchema.set(document, errors);
    }
    return errors;
  };
}
