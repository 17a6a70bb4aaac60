import {
  ASSERTION_TTL_SECONDS,
  CALLER_HEADER,
  generateGatewayKeyPair,
  importGatewaySigningKey,
  signCallerAssertion,
  type AssertionBinding,
  type Caller,
} from '@p2p/schema';
import type { Logger } from '@p2p/runtime';

/** The gateway's imported ES256 signing key. */
type SigningKey = Awaited<ReturnType<typeof importGatewaySigningKey>>;

/** Options of {@link CallerAssertions.create}. */
export interface CallerAssertionsOptions {
  /** PKCS8 PEM; absent: an ephemeral key is generated (with a warning). */
  signingKeyPem?: string;
  /** Lifetime of an assertion in seconds. @default ASSERTION_TTL_SECONDS (60) */
  ttlSeconds?: number;
  logger?: Logger;
}

/**
 * Signs the short-lived assertions the provinces require (`x-p2p-caller`, ES256 JWT, see
 * `@p2p/schema` caller.ts). Each is bound to ONE target province (`aud`) and ONE use: the exact
 * body of one HTTP fetch (`bh`), or the subscription link (`ws`); each has its own `jti`, which
 * the province serves once. So one is signed per province fetch (about 0.1 ms of CPU): nothing
 * is cached, since an assertion captured on its way to one province is good for nothing else.
 */
export class CallerAssertions {
  private constructor(
    private readonly key: SigningKey,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Imports the signing key (or generates an ephemeral one).
   * @throws Error when `signingKeyPem` is not an ES256 PKCS8 PEM key.
   */
  static async create(options: CallerAssertionsOptions = {}): Promise<CallerAssertions> {
    let pem = options.signingKeyPem;
    if (!pem) {
      options.logger?.warn(
        'GATEWAY_SIGNING_KEY is not set: caller assertions are signed with an ephemeral key that provinces will not accept unless they run without signatures (ALLOW_UNSIGNED=1)',
      );
      pem = (await generateGatewayKeyPair()).privateKeyPem;
    }
    let key: SigningKey;
    try {
      key = await importGatewaySigningKey(pem);
    } catch (err) {
      throw new Error(
        `GATEWAY_SIGNING_KEY is not an ES256 PKCS8 PEM private key (${(err as Error).message})`,
      );
    }
    return new CallerAssertions(key, options.ttlSeconds ?? ASSERTION_TTL_SECONDS);
  }

  /** The header that tells `binding.province` who is asking, for that one use. */
  headerFor(caller: Caller, binding: AssertionBinding): Record<string, string> {
    return { [CALLER_HEADER]: this.assertionFor(caller, binding) };
  }

  /** A fresh assertion for `caller`, bound to `binding`. */
  assertionFor(caller: Caller, binding: AssertionBinding): string {
    return signCallerAssertion(caller, this.key, binding, { ttlSeconds: this.ttlSeconds });
  }
}
