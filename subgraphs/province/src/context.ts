import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { Db } from './db/database.js';
import { DEFAULT_EPIDEMIC_SETTINGS, type EpidemicSettings } from './health/epidemic-settings.js';

/** What every resolver of a province subgraph receives; one per HTTP request. */
export interface ProvinceContext {
  /** This province, six digits (e.g. 450000). */
  province: string;
  db: Db;
  /** HMAC key of worker ids, the same in every province. */
  workerIdKey: string;
  log: Logger;
  /** The province's epidemic-control settings (fever threshold, nucleic-acid validity). */
  epidemic: EpidemicSettings;
  /** The request's DataLoaders, by name (see {@link loaderFor}). */
  loaders: Map<string, DataLoader<string, unknown>>;
}

/** Builds a fresh request context (epidemic-control settings: the defaults unless given). */
export function createContext(
  base: Omit<ProvinceContext, 'loaders' | 'epidemic'> & { epidemic?: EpidemicSettings },
): ProvinceContext {
  return { epidemic: DEFAULT_EPIDEMIC_SETTINGS, ...base, loaders: new Map() };
}

/**
 * The request's DataLoader named `name`, created on first use: all loads of one tick become one
 * call of `batch` (which must return one entry per key, in key order).
 */
export function loaderFor<V>(
  ctx: ProvinceContext,
  name: string,
  batch: (keys: readonly string[]) => Promise<readonly V[]>,
): DataLoader<string, V> {
  let loader = ctx.loaders.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>((keys) => batch(keys));
    ctx.loaders.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}

/** Orders rows found by id like `ids`, with undefined for ids that matched nothing. */
export function inIdOrder<R extends { id: string }>(
  ids: readonly string[],
  rows: readonly R[],
): (R | undefined)[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id));
}
