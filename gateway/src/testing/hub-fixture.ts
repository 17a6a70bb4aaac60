import { startGateway, type GatewayOptions, type RunningGateway } from '../index.js';
import { createLogger, silentLogger } from '@p2p/runtime';
import { signDevToken } from '../auth/dev-token.js';
import type { ProvinceData } from './fake-data.js';
import { startFakeNational, type FakeNational } from './fake-national.js';
import { startFakeProvinces, type FakeProvince, type FakeProvinceOptions } from './fake-province.js';

/** A GraphQL answer as a client sees it. */
export interface ClientAnswer {
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** The authorization header of the tests' caller: a ministry development token (fake provinces apply no rules). */
export async function testAuthorization(): Promise<Record<string, string>> {
  testToken ??= signDevToken({ role: 'ministry', subject: 'gateway-tests' });
  return { authorization: `Bearer ${await testToken}` };
}
let testToken: Promise<string> | undefined;

/** POSTs a GraphQL operation to `url`, with the tests' token. */
export async function gql(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<ClientAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await testAuthorization()) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as ClientAnswer;
}

/** The admin token of the tests' gateways (`/metrics`, `/health/details`). */
export const HUB_ADMIN_TOKEN = 'hub-fixture-admin-token-0123456789';

/** GETs an admin path (`/health/details`, `/metrics`) of the gateway at `graphqlUrl` with {@link HUB_ADMIN_TOKEN}. */
export function fetchAdmin(graphqlUrl: string, path: string): Promise<Response> {
  return fetch(graphqlUrl.replace(/\/graphql$/, path), {
    headers: { authorization: `Bearer ${HUB_ADMIN_TOKEN}` },
  });
}

/** Fake provinces, a fake national subgraph and a gateway over them. */
export interface Hub {
  gateway: RunningGateway;
  provinces: Map<string, FakeProvince>;
  national: FakeNational;
  /** The fake province of `code`. */
  province(code: string): FakeProvince;
  /** POSTs to the gateway. */
  query(query: string, variables?: Record<string, unknown>): Promise<ClientAnswer>;
  close(): Promise<void>;
}

/** Starts a hub of fake provinces (one per key of `datasets`, or per code) behind a real gateway. */
export async function startHub(
  codes: readonly string[],
  datasets: Record<string, ProvinceData> = {},
  options: { gateway?: GatewayOptions; province?: (code: string) => Omit<FakeProvinceOptions, 'data'> } = {},
): Promise<Hub> {
  const fakes = await startFakeProvinces(codes, datasets, options.province);
  const national = await startFakeNational();
  const gateway = await startGateway({
    port: 0,
    logger: process.env.HUB_LOG
      ? createLogger({ level: 'debug', destination: process.stderr })
      : silentLogger,
    healthCheckIntervalMs: 0,
    nationalUrl: national.url,
    provinces: Object.fromEntries(fakes.map((f) => [f.code, f.url])),
    adminToken: HUB_ADMIN_TOKEN,
    // Fake provinces do not serve the relay's endpoints.
    relay: false,
    ...options.gateway,
  });
  const provinces = new Map(fakes.map((f) => [f.code, f]));
  return {
    gateway,
    provinces,
    national,
    province: (code) => provinces.get(code)!,
    query: (query, variables) => gql(gateway.url, query, variables),
    close: async () => {
      await gateway.close();
      await Promise.all([...fakes.map((f) => f.close()), national.close()]);
    },
  };
}
