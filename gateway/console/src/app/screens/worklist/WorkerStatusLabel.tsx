import type { WorkerStatus } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { WORKLIST_MESSAGES } from './messages';

/** The worker statuses, in the order a list offers them. */
export const STATUS_KEYS: readonly WorkerStatus[] = ['AT_HOME', 'TRAVELLING', 'AT_WORK', 'OBSERVATION'];

/** A worker status in the officer's language. */
export function WorkerStatusLabel({ status }: { status: WorkerStatus }) {
  const t = useT(WORKLIST_MESSAGES);
  return <>{t(`status_${status}`)}</>;
}
