import { useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  type WorklistReturnRequestFragment,
  WorklistReturnRequestsDocument,
  WorklistReturnRequestsFiledDocument,
} from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { WORKLIST_MESSAGES } from './messages';

/** Requests the list reads at first; newer ones arrive live. */
const FIRST = 50;

/**
 * Return requests filed by enterprises anywhere for the province's workers: the latest ones read
 * once, then each new one as it is filed (`returnRequestsFiled`, over graphql-ws), newest first.
 */
export function ReturnRequestsPanel() {
  const t = useT(WORKLIST_MESSAGES);
  const { caller } = useSignedIn();
  const origin = caller.region ?? '';
  const [listed] = useQuery({
    query: WorklistReturnRequestsDocument,
    variables: { origin, first: FIRST },
    pause: !origin,
  });
  const [live] = useSubscription(
    { query: WorklistReturnRequestsFiledDocument, variables: { origin }, pause: !origin },
    (filed: WorklistReturnRequestFragment[] = [], event) => [
      event.returnRequestsFiled.returnRequest,
      ...filed.filter((r) => r.id !== event.returnRequestsFiled.returnRequest.id),
    ],
  );
  const requests = useMemo(() => {
    const fresh = live.data ?? [];
    const seen = new Set(fresh.map((r) => r.id));
    return [
      ...fresh,
      ...(listed.data?.returnRequests.edges.map((e) => e.node) ?? []).filter((r) => !seen.has(r.id)),
    ];
  }, [live.data, listed.data]);

  return (
    <section aria-labelledby="requests-title" className="worklist-panel">
      <h2 id="requests-title">{t('requestsTitle')}</h2>
      <p className="worklist-hint" data-testid="request-count">
        {t('requestsCount', { n: requests.length })} · {live.error ? t('liveLost') : t('liveOn')}
      </p>
      <GraphqlErrorAlert errors={[listed.error]} />
      <GraphqlErrorAlert errors={[live.error]} title={t('liveLost')} />
      <table className="worklist-table" data-testid="requests">
        <caption className="visually-hidden">{t('requestsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('homeRegion')}</th>
            <th scope="col">{t('requestEnterprise')}</th>
            <th scope="col">{t('requestDeparture')}</th>
            <th scope="col">{t('requestReturnDate')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('requestFiledAt')}</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.filedWorker.name}</th>
              <td>{r.filedWorker.homeRegion.name}</td>
              <td>
                {r.enterprise.name} ({r.enterprise.region.name})
              </td>
              <td>{r.departureRegion.name}</td>
              <td>{r.plannedReturnDate}</td>
              <td>{t(`request_${r.status}`)}</td>
              <td>{new Date(r.filedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
