import { startProvince, type ProvinceService } from '../index.js';
import { createProvinceDatabase } from './database.js';
import { testGatewayKeys, type TestGatewayKeys } from './gateway-keys.js';

/** A test province that requires the gateway's signature (its access rules apply), and the keys to sign for it. */
export interface SignedTestProvince {
  service: ProvinceService;
  /** The test gateway's keys: `keys.headers(caller, binding)` signs a request for this province. */
  keys: TestGatewayKeys;
  /** Stops the province and drops its database. */
  close(): Promise<void>;
}

/**
 * Starts a province on a loopback port with a fresh database that requires the signature of a
 * fresh test gateway key pair; logs silenced unless `ACCESS_LOG` names a pino level.
 */
export async function startSignedTestProvince(province: string): Promise<SignedTestProvince> {
  const keys = await testGatewayKeys();
  const database = await createProvinceDatabase();
  const service = await startProvince({
    province,
    port: 0,
    databaseUrl: database.databaseUrl,
    logLevel: process.env.ACCESS_LOG ?? 'silent',
    gatewayPublicKey: keys.publicKeyPem,
  });
  return {
    service,
    keys,
    async close() {
      await service.close();
      await database.drop();
    },
  };
}
