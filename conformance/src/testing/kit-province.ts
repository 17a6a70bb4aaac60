import { startProvince, type ProvinceService } from '@p2p/province';
import { createProvinceDatabase, type TestDatabase } from '@p2p/province/testing';
import { generateGatewayKeyPair } from '@p2p/schema';

/** Our own province service started for the kit: trusting a fresh key pair whose private half the kit signs with. */
export interface KitProvince {
  service: ProvinceService;
  /** Give it to `runConformance({ signingKeyPem })`. */
  signingKeyPem: string;
  /** The private half of the province's own read-only key (`conformancePublicKey`): for `--read-only` runs. */
  readOnlyKeyPem: string;
  /** Stops the province and drops its database. */
  close(): Promise<void>;
}

/**
 * Starts `subgraphs/province` in this process on a loopback port, on a fresh database (Postgres when
 * `DATABASE_URL` is set, else PGlite), requiring the signature of a fresh key pair (as a disposable
 * instance a province brings up for the kit), and trusting a fresh read-only key (as production does). Needs `P2P_DEV=1` (vitest sets it) for the worker-id key.
 * @param database where it keeps its records (one without `databaseUrl`: in-memory PGlite, whatever
 *   `DATABASE_URL` says); @default createProvinceDatabase()
 */
export async function startKitProvince(
  province: string,
  database?: Pick<TestDatabase, 'databaseUrl' | 'drop'>,
): Promise<KitProvince> {
  const pair = await generateGatewayKeyPair();
  const readOnly = await generateGatewayKeyPair();
  database ??= await createProvinceDatabase();
  const service = await startProvince({
    province,
    port: 0,
    ...(database.databaseUrl ? { databaseUrl: database.databaseUrl } : {}),
    logLevel: process.env.ACCESS_LOG ?? 'silent',
    gatewayPublicKey: pair.publicKeyPem,
    conformancePublicKey: readOnly.publicKeyPem,
  });
  return {
    service,
    signingKeyPem: pair.privateKeyPem,
    readOnlyKeyPem: readOnly.privateKeyPem,
    async close() {
      await service.close();
      await database!.drop();
    },
  };
}
