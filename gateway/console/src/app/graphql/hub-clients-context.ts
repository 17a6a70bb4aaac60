import { createContext, useContext } from 'react';
import type { HubClients } from './hub-client';

/** The signed-in session's clients. */
export const HubClientsContext = createContext<HubClients | null>(null);

/** The session's GraphQL clients (inside the signed-in part of the app). */
export function useHubClients(): HubClients {
  const clients = useContext(HubClientsContext);
  if (!clients) throw new Error('useHubClients outside the signed-in console');
  return clients;
}
