/**
 * The relay's HTTP adapter: JSON POSTs to the provinces' relay endpoints over keep-alive
 * connections (undici, a pool of its own so long polls never hold up the query pipeline), each
 * with a caller assertion signed for the relay (`RELAY_CALLER`), bound to the target province and
 * to the exact body bytes, like every other province fetch.
 */
import {
  RELAY_CALLER,
  RELAY_ENDPOINTS,
  type RelayApplyAnswer,
  type RelayApplyRequest,
  type RelayEventsAnswer,
  type RelayEventsRequest,
  type RelayInboxAnswer,
} from '@p2p/schema';
import { Agent, request } from 'undici';
import type { CallerAssertions } from '../auth/caller-assertions.js';
import type { ProvinceRegistry } from '../shard/province-registry.js';
import { RelayCallError, type RelayTransport } from './relay-transport.js';

/** Options of {@link RelayHttpTransport}. */
export interface RelayHttpTransportOptions {
  registry: ProvinceRegistry;
  assertions: CallerAssertions;
  /** Time budget of an apply or inbox call; a read gets its wait on top. @default 30_000 */
  timeoutMs?: number;
}

const FAILURE_OF_CODE: Record<string, RelayCallError['failure']> = {
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
};

/** {@link RelayTransport} over HTTP. */
export class RelayHttpTransport implements RelayTransport {
  private readonly agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connections: 16,
  });
  private readonly timeoutMs: number;

  constructor(private readonly options: RelayHttpTransportOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  readEvents(source: string, body: RelayEventsRequest, signal?: AbortSignal): Promise<RelayEventsAnswer> {
    return this.post(source, RELAY_ENDPOINTS.events, body, this.timeoutMs + (body.waitMs ?? 0), signal);
  }

  apply(target: string, body: RelayApplyRequest, signal?: AbortSignal): Promise<RelayApplyAnswer> {
    return this.post(target, RELAY_ENDPOINTS.apply, body, this.timeoutMs, signal);
  }

  inbox(target: string, signal?: AbortSignal): Promise<RelayInboxAnswer> {
    return this.post(target, RELAY_ENDPOINTS.inbox, {}, this.timeoutMs, signal);
  }

  /** Closes the keep-alive connections (aborting what is under way). */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private async post<T>(
    province: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<T> {
    const base = this.options.registry.baseUrl(province);
    if (!base) throw new RelayCallError(province, 'UNREACHABLE', `province ${province} is not connected`);
    const text = JSON.stringify(body);
    const timeout = AbortSignal.timeout(timeoutMs);
    let status: number;
    let answer: string;
    try {
      const res = await request(`${base}${path}`, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...this.options.assertions.headerFor(RELAY_CALLER, { province, body: text }),
        },
        body: text,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      answer = await res.body.text();
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      const code = (err as { code?: string }).code ?? '';
      throw new RelayCallError(province, 'UNREACHABLE', `${path}: ${code || name || 'network error'}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer);
    } catch {
      throw new RelayCallError(province, 'REFUSED', `${path}: HTTP ${status} without a JSON answer`);
    }
    if (status === 200) return parsed as T;
    const error = (parsed as { errors?: { message?: string; extensions?: { code?: string } }[] }).errors?.[0];
    const code = error?.extensions?.code ?? '';
    throw new RelayCallError(
      province,
      FAILURE_OF_CODE[code] ?? (status >= 500 ? 'UNREACHABLE' : 'REFUSED'),
      `${path}: HTTP ${status} ${code}${error?.message ? `: ${error.message}` : ''}`,
    );
  }
}
