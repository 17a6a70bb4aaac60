import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import {
  ConfirmTripArrivalDocument,
  type ArrivalTripFragment,
  type ArrivalTripPassengersQuery,
} from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { useIdempotencyKey } from '../../graphql/use-idempotency-key';
import { ARRIVALS_MESSAGES } from './messages';
import { isInside } from './region-scope';
import { StopFormSection, StopSelect } from './StopForm';
import { beijingLocalInput, fromBeijingLocalInput } from './time-format';

type Passengers = NonNullable<ArrivalTripPassengersQuery['trip']>['passengers'];

/**
 * Confirms a trip's arrival at one of its pending stops: the time, the headcount, a temperature
 * per passenger met (the arrival checks; a passenger left empty was not checked) and, optionally,
 * the receiver at once.
 */
export function ConfirmArrivalForm({
  trip,
  passengers,
  onTrip,
}: {
  trip: ArrivalTripFragment;
  passengers: Passengers;
  onTrip(trip: ArrivalTripFragment): void;
}) {
  const t = useT(ARRIVALS_MESSAGES);
  const { caller } = useSignedIn();
  const pending = trip.stops.filter((s) => s.status === 'PENDING');
  const ownFirst = pending.find((s) => caller.region && isInside(s.region.code, caller.region)) ?? pending[0];
  const [picked, setStop] = useState(ownFirst?.region.code ?? '');
  // a stop that arrived meanwhile (another officer, an event) is no longer offered
  const stop = pending.some((s) => s.region.code === picked) ? picked : (ownFirst?.region.code ?? '');
  const [arrivedAt, setArrivedAt] = useState(() => beijingLocalInput(Date.now()));
  const stopPassengers = useMemo(
    () => passengers.filter((p) => p.boarded && p.alightAt.code === stop && p.worker),
    [passengers, stop],
  );
  const expected = pending.find((s) => s.region.code === stop)?.expected ?? stopPassengers.length;
  const [headcount, setHeadcount] = useState<string>('');
  const [temperatures, setTemperatures] = useState<Record<string, string>>({});
  const [handedOverTo, setHandedOverTo] = useState('');
  const [idempotencyKey, renewKey] = useIdempotencyKey('arrival');
  const [{ fetching, error, data }, confirm] = useMutation(ConfirmTripArrivalDocument);

  if (trip.status !== 'DEPARTED' || pending.length === 0)
    return (
      <StopFormSection title={t('confirmTitle')}>
        <p>{data ? t('confirmed') : t('noStopToConfirm')}</p>
      </StopFormSection>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const at = fromBeijingLocalInput(arrivedAt);
    const checks = stopPassengers.flatMap((p) => {
      const value = temperatures[p.worker!.id]?.trim();
      return value ? [{ workerId: p.worker!.id, temperature: Number(value) }] : [];
    });
    const result = await confirm({
      tripId: trip.id,
      idempotencyKey,
      input: {
        stop,
        arrivedAt: at ?? new Date().toISOString(),
        headcount: headcount === '' ? expected : Number(headcount),
        ...(checks.length ? { checks } : {}),
        ...(handedOverTo.trim() ? { handedOverTo: handedOverTo.trim() } : {}),
      },
    });
    if (result.data?.confirmArrival) {
      onTrip(result.data.confirmArrival);
      renewKey();
    }
  };

  return (
    <StopFormSection title={t('confirmTitle')}>
      <form onSubmit={submit}>
        <div className="arrivals-fields">
          <StopSelect stops={pending} value={stop} onChange={setStop} />
          <label>
            {t('arrivedAt')}
            <input
              type="datetime-local"
              value={arrivedAt}
              onChange={(e) => setArrivedAt(e.target.value)}
              required
            />
          </label>
          <label>
            {t('headcount')}
            <input
              type="number"
              min={0}
              value={headcount}
              placeholder={String(expected)}
              onChange={(e) => setHeadcount(e.target.value)}
            />
          </label>
          <label>
            {t('handedOverTo')}
            <input type="text" value={handedOverTo} onChange={(e) => setHandedOverTo(e.target.value)} />
          </label>
        </div>
        {stopPassengers.length ? (
          <fieldset className="arrivals-checks">
            <legend>{t('checksLegend')}</legend>
            <p className="arrivals-muted">{t('checksHint')}</p>
            {stopPassengers.map((p) => (
              <label key={p.worker!.id}>
                <span className="visually-hidden">{t('temperatureOf', { name: p.worker!.name })}</span>
                <span aria-hidden="true">{p.worker!.name}</span>
                <input
                  type="number"
                  step="0.1"
                  min={30}
                  max={45}
                  inputMode="decimal"
                  value={temperatures[p.worker!.id] ?? ''}
                  onChange={(e) => setTemperatures((all) => ({ ...all, [p.worker!.id]: e.target.value }))}
                />
              </label>
            ))}
          </fieldset>
        ) : null}
        <GraphqlErrorAlert errors={[error]} />
        <button type="submit" disabled={fetching || !stop}>
          {fetching ? t('confirming') : t('confirm')}
        </button>
      </form>
    </StopFormSection>
  );
}
