import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tryDecodeId } from '@p2p/schema';
import { Kind, parse, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Deliberately broken provinces for the kit's own tests: an HTTP proxy in front of a real province
 * that passes every request unchanged (the caller assertion is bound to the body) and rewrites
 * only the answers, the way a province's own system could get the contract wrong.
 */

/** A GraphQL request as the kit sent it. */
export interface ProxiedRequest {
  query: string;
  variables: Record<string, unknown>;
}

/** A GraphQL answer as the province sent it (parsed JSON). */
export interface ProxiedAnswer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
  [k: string]: unknown;
}

/** Rewrites one answer; returns it unchanged when the request is not one it breaks. */
export type AnswerRewrite = (request: ProxiedRequest, answer: ProxiedAnswer) => ProxiedAnswer;

/** A running double: give `url` to the kit. */
export interface BrokenDouble {
  url: string;
  /** Stops the proxy (not the province behind it). */
  close(): Promise<void>;
}

/** The ways a double is broken. */
export type Breakage = 'answers-other-province-ids' | 'pagination-skips';

/**
 * Starts a proxy on a loopback port in front of `target` (a province's base URL) that rewrites the
 * answers to POSTed GraphQL requests with `rewrite`; anything else (WebSocket upgrades, `/health`)
 * passes through unchanged.
 */
export async function startRewritingProxy(target: string, rewrite: AnswerRewrite): Promise<BrokenDouble> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const { host: _host, ...headers } = req.headers;
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers },
        async (answer) => {
          let text = (await readAll(answer)).toString('utf8');
          const request = parsedRequest(req.method, body);
          if (request) {
            try {
              text = JSON.stringify(rewrite(request, JSON.parse(text) as ProxiedAnswer));
            } catch {
              // not JSON: pass it on as it came
            }
          }
          const {
            'content-length': _length,
            'transfer-encoding': _encoding,
            ...answerHeaders
          } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, {
            ...answerHeaders,
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502).end(err.message);
      });
      upstream.end(body);
    })();
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(Number(to.port), to.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts the double broken in `breakage` in front of the province `province` serves at `target`. */
export function startBrokenDouble(
  breakage: Breakage,
  target: string,
  province: string,
): Promise<BrokenDouble> {
  return startRewritingProxy(
    target,
    breakage === 'answers-other-province-ids' ? answersOtherProvinceIds(province) : paginationSkips,
  );
}

/**
 * (a) A province that answers another province's ids: a request naming an id of a province other
 * than `province` gets a made-up record for every root field the province answered null or
 * refused, and no error.
 */
export function answersOtherProvinceIds(province: string): AnswerRewrite {
  return (request, answer) => {
    const foreign = foreignIds(request, province);
    if (!foreign.length) return answer;
    const operation = operationOf(request.query);
    if (!operation) return answer;
    const data: Record<string, unknown> = { ...(answer.data ?? {}) };
    for (const field of fieldsOf(operation.selectionSet)) {
      const key = field.alias?.value ?? field.name.value;
      if (data[key] !== null && data[key] !== undefined) continue;
      data[key] =
        field.name.value === '_entities'
          ? foreign.map((id) => madeUp(field.selectionSet, id))
          : madeUp(field.selectionSet, foreign[0]!);
    }
    const { errors: _errors, ...rest } = answer;
    return { ...rest, data };
  };
}

/** (b) A province whose pagination skips: a page asked with `after` loses its first edge. */
export const paginationSkips: AnswerRewrite = (request, answer) => {
  const after = request.variables.after ?? (/\bafter:\s*"/.test(request.query) ? true : null);
  if (after === null || after === undefined || !answer.data) return answer;
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answer.data)) {
    const conn = value as { edges?: unknown[] } | null;
    data[key] = Array.isArray(conn?.edges) ? { ...conn, edges: conn.edges.slice(1) } : value;
  }
  return { ...answer, data };
};

function parsedRequest(method: string | undefined, body: Buffer): ProxiedRequest | undefined {
  if (method !== 'POST') return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { query?: unknown; variables?: unknown };
    if (typeof parsed.query !== 'string') return undefined;
    const variables =
      parsed.variables && typeof parsed.variables === 'object'
        ? (parsed.variables as Record<string, unknown>)
        : {};
    return { query: parsed.query, variables };
  } catch {
    return undefined;
  }
}

/** Every string of the request (variables and the query's string literals) that is an id of another province. */
function foreignIds(request: ProxiedRequest, province: string): string[] {
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(request.variables);
  for (const m of request.query.matchAll(/"([^"\\]+)"/g)) strings.push(m[1]!);
  return strings.filter((s) => {
    const d = tryDecodeId(s);
    return d !== undefined && d.province !== province;
  });
}

function operationOf(query: string): OperationDefinitionNode | undefined {
  try {
    return parse(query).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return undefined;
  }
}

/** The fields of a selection set, inline fragments flattened. */
function fieldsOf(set: SelectionSetNode | undefined): FieldNode[] {
  return (set?.selections ?? []).flatMap((s) =>
    s.kind === Kind.FIELD ? [s] : s.kind === Kind.INLINE_FRAGMENT ? fieldsOf(s.selectionSet) : [],
  );
}

/** A record of the selection's shape: `id` the foreign id, every other leaf a made-up string. */
function madeUp(set: SelectionSetNode | undefined, id: string): Record<string, unknown> | string {
  if (!set) return 'made-up';
  const record: Record<string, unknown> = {};
  for (const field of fieldsOf(set)) {
    const name = field.name.value;
    record[field.alias?.value ?? name] =
      name === 'id'
        ? id
        : name === '__typename'
          ? (tryDecodeId(id)?.kind ?? 'Worker')
          : madeUp(field.selectionSet, id);
  }
  return record;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
