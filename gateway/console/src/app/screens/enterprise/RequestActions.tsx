import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import {
  EnterpriseConfirmOnPostDocument,
  EnterpriseWithdrawReturnRequestDocument,
} from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { newIdempotencyKey } from '../../graphql/idempotency-key';
import { ENTERPRISE_MESSAGES } from './messages';
import type { RequestRow } from './use-return-requests';

/** Statuses a request may still leave by the enterprise's hand (ON_POST, WITHDRAWN and DECLINED are final). */
const OPEN_STATUSES: readonly RequestRow['status'][] = ['FILED', 'ACKNOWLEDGED', 'ARRANGED'];

/**
 * What the enterprise may do with one of its requests: confirm the worker on post (from any open
 * status: he may also come back by his own means) or withdraw it with a reason.
 */
export function RequestActions({ row, onChanged }: { row: RequestRow; onChanged(row: RequestRow): void }) {
  const t = useT(ENTERPRISE_MESSAGES);
  const [confirming, confirmOnPost] = useMutation(EnterpriseConfirmOnPostDocument);
  const [withdrawing, withdraw] = useMutation(EnterpriseWithdrawReturnRequestDocument);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!OPEN_STATUSES.includes(row.status)) return <span className="enterprise-muted">—</span>;
  const name = row.filedWorker.name;

  const confirm = async () => {
    const result = await confirmOnPost({
      returnRequestId: row.id,
      idempotencyKey: newIdempotencyKey('on-post'),
    });
    if (result.data?.confirmOnPost) onChanged(result.data.confirmOnPost);
  };
  const submitWithdrawal = async (event: FormEvent) => {
    event.preventDefault();
    const result = await withdraw({
      returnRequestId: row.id,
      reason: reason.trim(),
      idempotencyKey: newIdempotencyKey('withdraw'),
    });
    if (result.data?.withdrawReturnRequest) {
      setReasonOpen(false);
      onChanged(result.data.withdrawReturnRequest);
    }
  };

  return (
    <div className="enterprise-actions">
      <button
        type="button"
        onClick={confirm}
        disabled={confirming.fetching}
        aria-label={t('confirmOnPostOf', { name })}
      >
        {t('confirmOnPost')}
      </button>
      {reasonOpen ? (
        <form onSubmit={submitWithdrawal} className="enterprise-withdraw">
          <label>
            <span className="enterprise-sr-only">{t('withdrawReasonOf', { name })}</span>
            <input
              required
              maxLength={200}
              placeholder={t('withdrawReason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <button type="submit" disabled={withdrawing.fetching} aria-label={t('withdrawOf', { name })}>
            {t('withdraw')}
          </button>
          <button type="button" className="link-button" onClick={() => setReasonOpen(false)}>
            {t('cancel')}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="enterprise-secondary"
          onClick={() => setReasonOpen(true)}
          aria-label={t('withdrawOf', { name })}
        >
          {t('withdraw')}
        </button>
      )}
      <GraphqlErrorAlert errors={[confirming.error, withdrawing.error]} title={t('errorsTitle')} />
    </div>
  );
}
