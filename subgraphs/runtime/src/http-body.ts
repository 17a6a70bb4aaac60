import type { IncomingMessage } from 'node:http';

/** Options of {@link readBody}. */
export interface ReadBodyOptions {
  /** Largest accepted body in bytes. @default 1_000_000 */
  maxBytes?: number;
}

/** A request body larger than allowed (answered 413, see edge-errors.ts). */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the request body exceeds ${maxBytes} bytes`);
  }
}

/** A body whose content type says JSON but which does not parse (answered 400). */
export class MalformedBodyError extends SyntaxError {
  constructor() {
    super('the request body is not valid JSON');
  }
}

/**
 * Reads a request body's exact bytes. Refuses at once when `content-length` announces more than
 * `maxBytes`, and stops reading as soon as more arrives (chunked bodies).
 * @throws BodyTooLargeError past `maxBytes`
 */
export async function readRawBody(
  req: IncomingMessage,
  { maxBytes = 1_000_000 }: ReadBodyOptions = {},
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A body's bytes as Apollo Server takes them: parsed JSON when the content type says so, text
 * otherwise, undefined when empty.
 * @throws MalformedBodyError on malformed JSON
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (!text) return undefined;
  if (!(contentType ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedBodyError();
  }
}

/**
 * Reads a request body ({@link readRawBody}) and parses it ({@link parseBody}).
 * @throws BodyTooLargeError past `maxBytes`; MalformedBodyError on malformed JSON
 */
export async function readBody(req: IncomingMessage, options: ReadBodyOptions = {}): Promise<unknown> {
  return parseBody(await readRawBody(req, options), req.headers['content-type']);
}
