import { createHubClients, type HubAuth } from '../graphql/hub-client';
import { ConsoleRegionNameDocument } from '../generated/graphql';
import type { ConsoleConfig } from './console-config';

/**
 * The name of region `code` from the national directory, asked with `auth`'s token; null when
 * the directory has no such region or the question fails (the caller is then shown by its code).
 */
export async function lookUpRegionName(
  config: ConsoleConfig,
  auth: HubAuth | string,
  code: string,
): Promise<string | null> {
  const clients = createHubClients(config, auth);
  try {
    const result = await clients.urql.query(ConsoleRegionNameDocument, { code }).toPromise();
    return result.data?.region?.name ?? null;
  } catch {
    return null;
  } finally {
    clients.dispose();
  }
}
