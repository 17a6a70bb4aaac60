import {
  ASSERTION_TTL_SECONDS,
  CALLER_HEADER,
  generateGatewayKeyPair,
  importGatewaySigningKey,
  signCallerAssertion,
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
  /** Callers whose current assertion is kept for reuse. @default 10000 */
  cacheSize?: number;
  logger?: Logger;
}

/**
 * Signs, for each caller, the short-lived assertion the provinces require on every request
 * (`x-p2p-caller`, ES256 JWT, see `@p2p/schema` caller.ts). An assertion is reused for half its
 * lifetime, so a burst of fetches for one caller signs once.
 */
export class CallerAssertions {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  private constructor(
    private readonly key: SigningKey,
    private readonly ttlSeconds: number,
    private readonly cacheSize: number,
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
    return new CallerAssertions(
      key,
      options.ttlSeconds ?? ASSERTION_TTL_SECONDS,
      options.cacheSize ?? 10_000,
    );
  }

  /** The header that tells a province who is asking. */
  async headerFor(caller: Caller): Promise<Record<string, string>> {
    return { [CALLER_HEADER]: await this.assertionFor(caller) };
  }

  /** A valid assertion for `caller` (fresh or reused). */
  async assertionFor(caller: Caller): Promise<string> {
    const key = `${caller.role}\u0000${caller.subject}\u0000${caller.region ?? ''}\u0000${caller.enterpriseId ?? ''}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.renewAt > now) return hit.token;
    const token = await signCallerAssertion(caller, this.key, { ttlSeconds: this.ttlSeconds });
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { token, renewAt: now + (this.ttlSeconds * 1000) / 2 });
    return token;
  }
}
