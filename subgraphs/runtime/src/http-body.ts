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
 * Reads a request body: parsed JSON when the content type says so, text otherwise, undefined
 * when empty. Refuses at once when `content-length` announces more than `maxBytes`, and stops
 * reading as soon as more arrives (chunked bodies).
 * @throws BodyTooLargeError past `maxBytes`; MalformedBodyError on malformed JSON
 */
export async function readBody(
  req: IncomingMessage,
  { maxBytes = 1_000_000 }: ReadBodyOptions = {},
): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  if (!(req.headers['content-type'] ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedBodyError();
  }
}
