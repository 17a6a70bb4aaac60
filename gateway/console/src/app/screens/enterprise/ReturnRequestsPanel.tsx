import { useT } from '../../i18n/language';
import { beijingDateTime, etaDistance } from './beijing-time';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import {
  ENTERPRISE_MESSAGES,
  REQUEST_STATUS_MESSAGES,
  TRANSPORT_MODE_MESSAGES,
  TRIP_STATUS_MESSAGES,
  WORKER_STATUS_MESSAGES,
} from './messages';
import { RequestActions } from './RequestActions';
import { countByStatus } from './request-merge';
import { useNow } from './use-now';
import type { EnterpriseRequests, RequestRow } from './use-return-requests';

const STATUS_ORDER = ['FILED', 'ACKNOWLEDGED', 'ARRANGED', 'ON_POST', 'WITHDRAWN', 'DECLINED'] as const;

/** The return requests the enterprise filed, live: counts by status, then one row each. */
export function ReturnRequestsPanel({
  requests,
  onConfirmed,
}: {
  requests: EnterpriseRequests;
  onConfirmed(row: RequestRow): void;
}) {
  const t = useT(ENTERPRISE_MESSAGES);
  const status = useT(REQUEST_STATUS_MESSAGES);
  const counts = countByStatus(requests.rows);
  const last = requests.lastEvent;
  return (
    <section className="enterprise-panel" aria-labelledby="requests-title">
      <div className="enterprise-panel-head">
        <h3 id="requests-title">{t('requestsTitle')}</h3>
        <span className={`enterprise-live enterprise-live-${requests.live}`} data-testid="live-state">
          {requests.live === 'live'
            ? t('live')
            : requests.live === 'reconnecting'
              ? t('reconnecting')
              : t('connecting')}
        </span>
      </div>
      <ul className="enterprise-counts" aria-label={t('countsByStatus')}>
        {STATUS_ORDER.map((s) => (
          <li key={s} data-status={s}>
            {status(s)} <strong>{counts[s] ?? 0}</strong>
          </li>
        ))}
      </ul>
      <p aria-live="polite" className="enterprise-muted" data-testid="last-update">
        {last
          ? t('lastUpdate', {
              name: last.returnRequest.filedWorker.name,
              status: status(last.status),
              at: beijingDateTime(last.at),
            })
          : ''}
      </p>
      <GraphqlErrorAlert errors={requests.errors} title={t('errorsTitle')} />
      {requests.rows.length === 0 ? (
        <p className="enterprise-muted">{requests.fetching ? t('loading') : t('noRequests')}</p>
      ) : (
        <RequestsTable rows={requests.rows} onConfirmed={onConfirmed} />
      )}
      <p className="enterprise-muted">
        {requests.hasMore && requests.totalCount !== undefined
          ? t('shownOf', { shown: requests.rows.length, total: requests.totalCount })
          : t('shown', { shown: requests.rows.length })}
        {requests.hasMore ? (
          <button type="button" className="link-button" onClick={requests.loadMore}>
            {t('loadMore')}
          </button>
        ) : null}
      </p>
    </section>
  );
}

function RequestsTable({ rows, onConfirmed }: { rows: RequestRow[]; onConfirmed(row: RequestRow): void }) {
  const t = useT(ENTERPRISE_MESSAGES);
  const status = useT(REQUEST_STATUS_MESSAGES);
  const workerStatus = useT(WORKER_STATUS_MESSAGES);
  const tripStatus = useT(TRIP_STATUS_MESSAGES);
  const mode = useT(TRANSPORT_MODE_MESSAGES);
  const now = useNow();
  return (
    <table className="enterprise-table enterprise-requests">
      <caption className="enterprise-sr-only">{t('requestsTitle')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('worker')}</th>
          <th scope="col">{t('homeRegionColumn')}</th>
          <th scope="col">{t('departureRegionColumn')}</th>
          <th scope="col">{t('plannedReturnDate')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('workerStatus')}</th>
          <th scope="col">{t('trip')}</th>
          <th scope="col">{t('eta')}</th>
          <th scope="col">{t('updatedAt')}</th>
          <th scope="col">{t('actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid={`request-${r.id}`} data-status={r.status}>
            <th scope="row">
              {r.filedWorker.name}
              {r.job ? <span className="enterprise-muted enterprise-block">{r.job.title}</span> : null}
            </th>
            <td>{r.filedWorker.homeRegion.name}</td>
            <td>{r.departureRegion.name}</td>
            <td>{r.plannedReturnDate}</td>
            <td>
              <span className={`enterprise-status enterprise-status-${r.status}`}>{status(r.status)}</span>
              {r.reason ? <span className="enterprise-muted enterprise-block">{r.reason}</span> : null}
            </td>
            <td>
              {r.worker ? (
                workerStatus(r.worker.status)
              ) : (
                <span className="enterprise-muted">{t('unknown')}</span>
              )}
            </td>
            <td>
              {r.trip ? (
                <>
                  {mode(r.trip.mode)} {r.trip.vehicleCode}
                  <span className="enterprise-muted enterprise-block">
                    {t('tripFrom', { origin: r.trip.origin.name })} · {tripStatus(r.trip.status)}
                  </span>
                </>
              ) : (
                '—'
              )}
            </td>
            <td data-testid="eta">{r.trip ? <TripEta trip={r.trip} now={now} /> : '—'}</td>
            <td>{beijingDateTime(r.updatedAt)}</td>
            <td>
              <RequestActions row={r} onChanged={onConfirmed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A trip's arrival: when it arrived, or when it is expected and how far that is (while it can still come). */
function TripEta({ trip, now }: { trip: NonNullable<RequestRow['trip']>; now: number }) {
  const t = useT(ENTERPRISE_MESSAGES);
  if (trip.arrivedAt) return <>{t('arrivedAt', { at: beijingDateTime(trip.arrivedAt) })}</>;
  const distance =
    trip.status === 'PLANNED' || trip.status === 'DEPARTED'
      ? etaDistance(trip.expectedArrivalAt, now)
      : undefined;
  return (
    <>
      {beijingDateTime(trip.expectedArrivalAt)}
      {distance ? (
        <span className={`enterprise-block ${distance.overdue ? 'enterprise-overdue' : 'enterprise-muted'}`}>
          {t(distance.overdue ? 'etaOverdue' : 'etaIn', { h: distance.hours, m: distance.minutes })}
        </span>
      ) : null}
    </>
  );
}
