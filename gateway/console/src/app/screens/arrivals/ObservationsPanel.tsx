import { useEffect, useId, useRef } from 'react';
import { useQuery } from 'urql';
import { ArrivalObservationsDocument } from '../../generated/graphql';
import { useLanguage, useT } from '../../i18n/language';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { ARRIVALS_MESSAGES } from './messages';
import { formatTime } from './time-format';

/** The region's active observations (a fever at an arrival check starts one). */
export function ObservationsPanel({ region, refresh }: { region: string; refresh: number }) {
  const t = useT(ARRIVALS_MESSAGES);
  const { language } = useLanguage();
  const id = useId();
  const [{ data, error, fetching }, reread] = useQuery({
    query: ArrivalObservationsDocument,
    variables: { region },
  });
  // `refresh` changes when a trip arrived: the fevers of its checks may have started observations.
  const seen = useRef(refresh);
  useEffect(() => {
    if (seen.current === refresh) return;
    seen.current = refresh;
    reread({ requestPolicy: 'network-only' });
  }, [refresh, reread]);
  const edges = data?.observations.edges ?? [];
  return (
    <section className="arrivals-panel" aria-labelledby={`${id}-title`} data-testid="arrivals-observations">
      <h3 id={`${id}-title`}>{t('observationsTitle')}</h3>
      <GraphqlErrorAlert errors={[error]} />
      {fetching && !data ? <p>{t('loading')}</p> : null}
      {data && edges.length === 0 ? <p>{t('noObservations')}</p> : null}
      {edges.length ? (
        <table className="arrivals-table">
          <caption>
            {t('observationsCaption')} ({data?.observations.totalCount})
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('worker')}</th>
              <th scope="col">{t('observationRegion')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('site')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col">{t('trip')}</th>
              <th scope="col">{t('started')}</th>
              <th scope="col">{t('ends')}</th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) => (
              <tr key={node.id}>
                <th scope="row">{node.worker?.name ?? t('unavailable')}</th>
                <td>{node.region.fullName}</td>
                <td>{t(`obsKind_${node.kind}`)}</td>
                <td>{node.site}</td>
                <td>{t(`reason_${node.reason}`)}</td>
                <td>{node.trip?.vehicleCode ?? '—'}</td>
                <td>{formatTime(node.startedAt, language)}</td>
                <td>{formatTime(node.endsAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
