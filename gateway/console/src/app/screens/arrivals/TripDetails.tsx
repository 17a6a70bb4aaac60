import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { ArrivalTripPassengersDocument, type ArrivalTripFragment } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { ConfirmArrivalForm } from './ConfirmArrivalForm';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { HandOverForm } from './HandOverForm';
import { ARRIVALS_MESSAGES } from './messages';

/** One trip's passengers (as the provinces' rules let the officer read them) and the arrival and hand-over forms. */
export function TripDetails({
  trip,
  onTrip,
}: {
  trip: ArrivalTripFragment;
  onTrip(trip: ArrivalTripFragment): void;
}) {
  const t = useT(ARRIVALS_MESSAGES);
  const [{ data, fetching, error }, reread] = useQuery({
    query: ArrivalTripPassengersDocument,
    variables: { id: trip.id },
  });
  // Read again whenever the trip moves on (an event or a mutation): boarding and checks follow.
  const version = `${trip.status}:${trip.stops.map((s) => s.status).join(',')}`;
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    reread({ requestPolicy: 'network-only' });
  }, [version, reread]);
  const passengers = data?.trip?.passengers ?? [];
  return (
    <div className="arrivals-details" data-testid="trip-details">
      <GraphqlErrorAlert errors={[error]} />
      {fetching && !data ? <p>{t('loading')}</p> : null}
      {data?.trip ? (
        <table className="arrivals-table arrivals-passengers">
          <caption>{t('passengersCaption', { vehicle: trip.vehicleCode })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('worker')}</th>
              <th scope="col">{t('home')}</th>
              <th scope="col">{t('phone')}</th>
              <th scope="col">{t('health')}</th>
              <th scope="col">{t('boarded')}</th>
              <th scope="col">{t('gateTemperature')}</th>
              <th scope="col">{t('alightAt')}</th>
              <th scope="col">{t('arrivalTemperature')}</th>
              <th scope="col">{t('missing')}</th>
            </tr>
          </thead>
          <tbody>
            {passengers.map((p, i) => (
              <tr key={p.worker?.id ?? `unknown-${i}`} data-testid="passenger">
                {p.worker ? (
                  <>
                    <th scope="row">{p.worker.name}</th>
                    <td>{p.worker.homeRegion.fullName}</td>
                    <td>{p.worker.phone}</td>
                    <td>{p.worker.health?.code ?? '—'}</td>
                  </>
                ) : (
                  <>
                    <th scope="row">{t('unavailable')}</th>
                    <td>—</td>
                    <td>—</td>
                    <td>—</td>
                  </>
                )}
                <td>
                  {p.boarded ? t('yes') : `${t('no')}${p.boardingRefusal ? ` (${p.boardingRefusal})` : ''}`}
                </td>
                <td>{p.temperature ?? '—'}</td>
                <td>
                  {p.alightAt.name}
                  {p.carriage ? ` · ${p.carriage}` : ''}
                </td>
                <td>{p.arrivalTemperature ?? '—'}</td>
                <td>{p.missingAtArrival ? t('yes') : t('no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="arrivals-forms">
        <ConfirmArrivalForm trip={trip} passengers={passengers} onTrip={onTrip} />
        <HandOverForm trip={trip} onTrip={onTrip} />
      </div>
    </div>
  );
}
