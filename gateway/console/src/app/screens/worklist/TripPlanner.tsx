import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import {
  type TransportMode,
  type WorklistTripFragment,
  type WorklistWorkerFragment,
  WorklistAssignPassengersDocument,
  WorklistDepartTripDocument,
  WorklistPlanTripDocument,
} from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { newIdempotencyKey } from '../../graphql/idempotency-key';
import { WORKLIST_MESSAGES } from './messages';

const MODES: readonly TransportMode[] = ['BUS', 'TRAIN', 'FLIGHT'];
const HOUR = 3_600_000;

/** `YYYY-MM-DDTHH:mm` of a datetime-local input, in the browser's time zone. */
function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Tomorrow 08:00 in the browser's time zone. */
function tomorrowMorning(): Date {
  const at = new Date();
  at.setDate(at.getDate() + 1);
  at.setHours(8, 0, 0, 0);
  return at;
}

/** A fresh idempotency key for one action of the officer. */
const actionKey = (what: string) => newIdempotencyKey(`console-${what}`);

/** A passenger at the gate: presented or not, and the temperature taken. */
interface GateEntry {
  presented: boolean;
  temperature: string;
}

/**
 * "One vehicle, one plan": plan a trip, put the chosen workers on it, record the boarding gate
 * (who was presented, with the temperature taken). The answer of each step is what the trip shows.
 */
export function TripPlanner({
  chosen,
  origin,
  destination,
  onAssigned,
}: {
  chosen: readonly WorklistWorkerFragment[];
  /** The home region the list is filtered by: the trip's origin to start with. */
  origin: string;
  /** The travel intent's destination the list is filtered by: the trip's destination to start with. */
  destination: string;
  onAssigned(): void;
}) {
  const t = useT(WORKLIST_MESSAGES);
  const { caller } = useSignedIn();
  const [form, setForm] = useState(() => {
    const departure = tomorrowMorning();
    return {
      mode: 'BUS' as TransportMode,
      vehicleCode: '',
      origin: '',
      destination: '',
      departureAt: localInput(departure),
      expectedArrivalAt: localInput(new Date(departure.getTime() + 24 * HOUR)),
      capacity: '40',
    };
  });
  const [trip, setTrip] = useState<WorklistTripFragment | null>(null);
  const [gate, setGate] = useState<Record<string, GateEntry>>({});
  const [planned, plan] = useMutation(WorklistPlanTripDocument);
  const [assigned, assign] = useMutation(WorklistAssignPassengersDocument);
  const [departed, depart] = useMutation(WorklistDepartTripDocument);
  const field = (key: keyof typeof form, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const originShown = form.origin || origin || caller.region || '';
  const destinationShown = form.destination || destination;

  const submitPlan = async (e: FormEvent) => {
    e.preventDefault();
    const result = await plan({
      input: {
        mode: form.mode,
        vehicleCode: form.vehicleCode.trim(),
        origin: originShown.trim(),
        destination: destinationShown.trim(),
        departureAt: new Date(form.departureAt).toISOString(),
        expectedArrivalAt: new Date(form.expectedArrivalAt).toISOString(),
        capacity: Number(form.capacity),
      },
      key: actionKey('plan-trip'),
    });
    if (result.data?.planTrip) {
      setTrip(result.data.planTrip);
      setGate({});
    }
  };

  const submitAssign = async () => {
    if (!trip || chosen.length === 0) return;
    const result = await assign({
      tripId: trip.id,
      workerIds: chosen.map((w) => w.id),
      key: actionKey('assign'),
    });
    if (result.data?.assignPassengers) {
      setTrip(result.data.assignPassengers);
      onAssigned();
    }
  };

  const entryOf = (workerId: string): GateEntry => gate[workerId] ?? { presented: true, temperature: '36.5' };
  const submitBoarding = async () => {
    if (!trip) return;
    const boarded = trip.passengers
      .filter((p) => p.worker && entryOf(p.worker.id).presented)
      .map((p) => ({ workerId: p.worker!.id, temperature: Number(entryOf(p.worker!.id).temperature) }));
    const result = await depart({ tripId: trip.id, boarded, key: actionKey('depart') });
    if (result.data?.departTrip) setTrip(result.data.departTrip);
  };

  return (
    <section aria-labelledby="trip-title" className="worklist-panel">
      <h2 id="trip-title">{t('tripTitle')}</h2>
      <form className="worklist-filters" onSubmit={submitPlan} aria-label={t('tripPlan')}>
        <label>
          {t('tripMode')}
          <select value={form.mode} onChange={(e) => field('mode', e.target.value)}>
            {MODES.map((m) => (
              <option key={m} value={m}>
                {t(`mode_${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tripVehicle')}
          <input
            required
            value={form.vehicleCode}
            onChange={(e) => field('vehicleCode', e.target.value)}
            size={12}
          />
        </label>
        <label>
          {t('tripOrigin')}
          <input required value={originShown} onChange={(e) => field('origin', e.target.value)} size={10} />
        </label>
        <label>
          {t('tripDestination')}
          <input
            required
            value={destinationShown}
            onChange={(e) => field('destination', e.target.value)}
            size={10}
          />
        </label>
        <label>
          {t('tripDeparture')}
          <input
            type="datetime-local"
            required
            value={form.departureAt}
            onChange={(e) => field('departureAt', e.target.value)}
          />
        </label>
        <label>
          {t('tripArrival')}
          <input
            type="datetime-local"
            required
            value={form.expectedArrivalAt}
            onChange={(e) => field('expectedArrivalAt', e.target.value)}
          />
        </label>
        <label>
          {t('tripCapacity')}
          <input
            type="number"
            min={1}
            max={3000}
            required
            value={form.capacity}
            onChange={(e) => field('capacity', e.target.value)}
          />
        </label>
        <button type="submit" disabled={planned.fetching}>
          {t('tripPlan')}
        </button>
      </form>
      <GraphqlErrorAlert errors={[planned.error]} title={t('tripPlan')} />
      {trip ? (
        <div className="worklist-trip" data-testid="trip">
          <h3>
            {t('tripHeading', {
              vehicle: trip.vehicleCode,
              origin: trip.origin.name,
              destination: trip.destination.name,
            })}
          </h3>
          <p>
            <span data-testid="trip-status">{t(`tripStatus_${trip.status}`)}</span> ·{' '}
            {t('tripDepartsAt', { at: new Date(trip.departureAt).toLocaleString() })} ·{' '}
            <span data-testid="trip-passengers">
              {t('tripSeats', { n: trip.passengers.length, capacity: trip.capacity })}
            </span>
            {trip.cancelReason ? ` · ${trip.cancelReason}` : ''}
          </p>
          {trip.status === 'PLANNED' ? (
            <div className="worklist-row">
              <button
                type="button"
                onClick={submitAssign}
                disabled={chosen.length === 0 || assigned.fetching}
              >
                {t('tripAssign', { n: chosen.length })}
              </button>
              <button
                type="button"
                onClick={submitBoarding}
                disabled={trip.passengers.length === 0 || departed.fetching}
              >
                {t('tripBoard')}
              </button>
            </div>
          ) : null}
          <GraphqlErrorAlert errors={[assigned.error]} title={t('tripAssign', { n: chosen.length })} />
          <GraphqlErrorAlert errors={[departed.error]} title={t('tripBoard')} />
          {trip.passengers.length > 0 ? (
            <table className="worklist-table" data-testid="manifest">
              <caption className="visually-hidden">{t('manifest')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('gatePresented')}</th>
                  <th scope="col">{t('gateTemperature')}</th>
                  <th scope="col">{t('gateOutcome')}</th>
                </tr>
              </thead>
              <tbody>
                {trip.passengers.map((p, i) => {
                  const id = p.worker?.id;
                  const entry = id ? entryOf(id) : undefined;
                  const open = trip.status === 'PLANNED' && id !== undefined;
                  const name = p.worker?.name ?? t('unknownWorker');
                  return (
                    <tr key={id ?? i}>
                      <th scope="row">{name}</th>
                      <td>
                        {open ? (
                          <input
                            type="checkbox"
                            aria-label={t('gatePresentedOf', { name })}
                            checked={entry!.presented}
                            onChange={(e) =>
                              setGate((g) => ({ ...g, [id]: { ...entry!, presented: e.target.checked } }))
                            }
                          />
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>
                        {open ? (
                          <input
                            type="number"
                            step="0.1"
                            min={34}
                            max={43}
                            aria-label={t('gateTemperatureOf', { name })}
                            value={entry!.temperature}
                            onChange={(e) =>
                              setGate((g) => ({ ...g, [id]: { ...entry!, temperature: e.target.value } }))
                            }
                          />
                        ) : (
                          (p.temperature ?? '—')
                        )}
                      </td>
                      <td>
                        {p.boarded
                          ? t('gateBoarded')
                          : p.boardingRefusal
                            ? t(`refusal_${p.boardingRefusal}`)
                            : t('gateAssigned')}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
