import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of its own (several gateways may share a process). */
export class GatewayMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry();
  /** Client operations by type and outcome (`ok`, `partial`, `error`). */
  readonly requests = new Counter({
    name: 'p2p_gateway_requests_total',
    help: 'GraphQL operations answered by the gateway',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  /** Latency of each fetch to a province, by province, logical subgraph and outcome. */
  readonly provinceFetch = new Histogram({
    name: 'p2p_gateway_province_fetch_duration_seconds',
    help: 'Latency of fetches from the gateway to a province',
    labelNames: ['province', 'subgraph', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /**
   * Failed fetches to a province, by reason (`timeout`, `network`, `http`, `incompatible`,
   * `not_connected`; `behind`: not sent, the province's contract minor lacks what it asks).
   */
  readonly provinceErrors = new Counter({
    name: 'p2p_gateway_province_errors_total',
    help: 'Fetches to a province that failed',
    labelNames: ['province', 'subgraph', 'reason'] as const,
    registers: [this.registry],
  });
  /**
   * Operations by transport and trusted-documents outcome (`by_id`, `registered_text`,
   * `unregistered`, `refused`): before turning safelist on, `registered_text` and `unregistered`
   * must stay at 0 (docs/trusted-documents.md).
   */
  readonly trustedDocuments = new Counter({
    name: 'p2p_gateway_trusted_documents_total',
    help: 'GraphQL operations by how they named their document (trusted documents)',
    labelNames: ['transport', 'outcome'] as const,
    registers: [this.registry],
  });
  /** 1 while a province answers and serves a compatible schema, by state. */
  readonly provinceState = new Gauge({
    name: 'p2p_gateway_province_up',
    help: '1 when the province is up and compatible, 0 otherwise',
    labelNames: ['province'] as const,
    registers: [this.registry],
  });
  /** 1 on the contract version(s) a province declares (`none`: from before contract versions). */
  readonly provinceContract = new Gauge({
    name: 'p2p_gateway_province_contract',
    help: 'Contract version a province serves (1 on its version label)',
    labelNames: ['province', 'version'] as const,
    registers: [this.registry],
  });
  /** Contract elements a province on the previous minor lacks (0 once upgraded). */
  readonly provinceContractLacking = new Gauge({
    name: 'p2p_gateway_province_contract_lacking',
    help: 'Fields, arguments, types and enum values of the contract a province (previous minor) lacks',
    labelNames: ['province'] as const,
    registers: [this.registry],
  });

  /** @param defaults also collect Node process metrics; @default true */
  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'p2p_gateway_' });
  }

  /** The Prometheus text exposition and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
