import { useCallback, useState } from 'react';
import { newIdempotencyKey } from './idempotency-key';

/**
 * The idempotency key of a form's submission: the same until `renew` is called after the hub
 * answered, so a retry of a submission whose answer was lost is recorded once.
 */
export function useIdempotencyKey(prefix: string): [key: string, renew: () => void] {
  const [key, setKey] = useState(() => newIdempotencyKey(prefix));
  const renew = useCallback(() => setKey(newIdempotencyKey(prefix)), [prefix]);
  return [key, renew];
}
