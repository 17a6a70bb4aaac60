import { Fragment } from 'react';
import type { ArrivalTripFragment } from '../../generated/graphql';
import { useLanguage, useT } from '../../i18n/language';
import { isArriving, minutesToEta } from './arriving';
import { ARRIVALS_MESSAGES } from './messages';
import { formatTime } from './time-format';
import { TripDetails } from './TripDetails';

interface TripBoardProps {
  trips: readonly ArrivalTripFragment[];
  now: number;
  /** The trip whose details are open. */
  openTripId: string | null;
  onToggle(tripId: string): void;
  /** A mutation's answer: the trip as it is now. */
  onTrip(trip: ArrivalTripFragment): void;
}

/** The trips into the region, an arriving bus marked by a badge and a border, with its details a click away. */
export function TripBoard({ trips, now, openTripId, onToggle, onTrip }: TripBoardProps) {
  const t = useT(ARRIVALS_MESSAGES);
  const { language } = useLanguage();
  if (trips.length === 0) return <p data-testid="arrivals-empty">{t('noTrips')}</p>;
  return (
    <table className="arrivals-table" data-testid="arrivals-trips">
      <caption>{t('tripsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('vehicle')}</th>
          <th scope="col">{t('origin')}</th>
          <th scope="col">{t('eta')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('headcount')}</th>
          <th scope="col">{t('stops')}</th>
          <th scope="col">{t('actions')}</th>
        </tr>
      </thead>
      <tbody>
        {trips.map((trip) => {
          const arriving = isArriving(trip, now);
          const minutes = minutesToEta(trip, now);
          const boarded = trip.passengers.filter((p) => p.boarded).length;
          const open = openTripId === trip.id;
          const detailsId = `arrivals-details-${trip.id}`;
          return (
            <Fragment key={trip.id}>
              <tr
                className={arriving ? 'arrivals-row arrivals-row-arriving' : 'arrivals-row'}
                data-testid={`trip-${trip.id}`}
                data-status={trip.status}
                data-arriving={arriving ? 'true' : 'false'}
              >
                <th scope="row">
                  <span className="arrivals-mode">{t(`mode_${trip.mode}`)}</span> {trip.vehicleCode}
                </th>
                <td>{trip.origin.fullName}</td>
                <td>
                  {formatTime(trip.expectedArrivalAt, language)}
                  {trip.status === 'DEPARTED' ? (
                    <div className="arrivals-muted">
                      {minutes >= 0 ? t('inMinutes', { n: minutes }) : t('lateMinutes', { n: -minutes })}
                    </div>
                  ) : null}
                </td>
                <td>
                  <span className="arrivals-status" data-testid="trip-status">
                    {t(`status_${trip.status}`)}
                  </span>
                  {arriving ? (
                    <strong className="arrivals-badge" data-testid="arriving-badge">
                      <span aria-hidden="true">▶ </span>
                      {minutes < 0 ? `${t('arriving')} · ${t('late')}` : t('arriving')}
                    </strong>
                  ) : null}
                </td>
                <td>
                  {t('boardedOf', { boarded, listed: trip.passengers.length })}
                  {trip.headcount !== null ? (
                    <div className="arrivals-muted">{t('counted', { n: trip.headcount })}</div>
                  ) : null}
                </td>
                <td>
                  <ul className="arrivals-stops">
                    {trip.stops.map((s) => (
                      <li key={s.region.code}>
                        {s.region.name}: {t(`stopStatus_${s.status}`)}
                        {s.headcountMismatch ? <strong> · {t('mismatch')}</strong> : null}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <button
                    type="button"
                    aria-expanded={open}
                    aria-controls={open ? detailsId : undefined}
                    onClick={() => onToggle(trip.id)}
                  >
                    {open ? t('hideDetails') : t('details')}
                    <span className="visually-hidden"> {trip.vehicleCode}</span>
                  </button>
                </td>
              </tr>
              {open ? (
                <tr id={detailsId} className="arrivals-details-row">
                  <td colSpan={7}>
                    <TripDetails trip={trip} onTrip={onTrip} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
