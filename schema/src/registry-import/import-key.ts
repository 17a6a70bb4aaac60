/**
 * The idempotency key of one `registerWorkers` call: derived from the rows it carries, so an
 * import that stopped half-way can simply be run again (a call already answered is answered the
 * same way). Web Crypto's SHA-256 (`globalThis.crypto.subtle`, in browsers and Node 20 alike).
 */
import type { RegisterWorkerInput } from './worker-row.js';

/** `import-workers:` and the first 40 hex digits of the SHA-256 of the inputs' JSON. */
export async function importKey(inputs: readonly RegisterWorkerInput[]): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify(inputs)),
  );
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return `import-workers:${hex.slice(0, 40)}`;
}
