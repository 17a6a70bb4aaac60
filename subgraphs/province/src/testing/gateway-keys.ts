/** A gateway key pair for a test province that requires the gateway's signature. */
import type { AssertionBinding, Caller, SignAssertionOptions } from '@p2p/schema';
import {
  CALLER_HEADER,
  generateGatewayKeyPair,
  importGatewaySigningKey,
  signCallerAssertion,
} from '@p2p/schema';

/** A gateway key pair made for a test, and the headers the gateway would send for a caller. */
export interface TestGatewayKeys {
  /** Give it to `startProvince({ gatewayPublicKey })` (or GATEWAY_PUBLIC_KEY). */
  publicKeyPem: string;
  privateKeyPem: string;
  /**
   * `{ 'x-p2p-caller': <assertion> }` signed for `caller`, as the gateway attaches it: for one
   * POST of exactly `binding.body` to `binding.province`, or for its subscription link (`webSocket`).
   */
  headers(
    caller: Caller,
    binding: AssertionBinding,
    options?: SignAssertionOptions,
  ): Promise<Record<string, string>>;
}

/** Generates a gateway key pair for a test province that requires the gateway's signature. */
export async function testGatewayKeys(): Promise<TestGatewayKeys> {
  const pair = await generateGatewayKeyPair();
  const signingKey = await importGatewaySigningKey(pair.privateKeyPem);
  return {
    ...pair,
    headers: async (caller, binding, options) => ({
      [CALLER_HEADER]: signCallerAssertion(caller, signingKey, binding, options),
    }),
  };
}
