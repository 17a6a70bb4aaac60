/**
 * A fresh idempotency key for one submission of a form: a retry of the same submission (a lost
 * answer) is recorded once. Random hex from `crypto.getRandomValues`, which (unlike
 * `crypto.randomUUID`) works outside secure contexts too.
 */
export function newIdempotencyKey(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
