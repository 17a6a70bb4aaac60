import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { HandOverArrivedTripDocument, type ArrivalTripFragment } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { errorsOfResult, GraphqlErrors } from './GraphqlErrors';
import { ARRIVALS_MESSAGES } from './messages';

/** Hands over the passengers of an arrived stop to a receiver named in free text. */
export function HandOverForm({
  trip,
  onTrip,
}: {
  trip: ArrivalTripFragment;
  onTrip(trip: ArrivalTripFragment): void;
}) {
  const t = useT(ARRIVALS_MESSAGES);
  const id = useId();
  const arrived = trip.stops.filter((s) => s.status === 'ARRIVED');
  const [stop, setStop] = useState(arrived[0]?.region.code ?? '');
  const [receiver, setReceiver] = useState('');
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [{ fetching, error, data }, handOver] = useMutation(HandOverArrivedTripDocument);
  const chosen = arrived.some((s) => s.region.code === stop) ? stop : (arrived[0]?.region.code ?? '');

  if (arrived.length === 0)
    return (
      <section className="arrivals-form" aria-labelledby={`${id}-title`}>
        <h4 id={`${id}-title`}>{t('handOverTitle')}</h4>
        <p>{data ? t('handedOver') : t('noStopToHandOver')}</p>
      </section>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await handOver({
      tripId: trip.id,
      stop: chosen,
      handedOverTo: receiver.trim(),
      idempotencyKey,
    });
    if (result.data?.handOverTrip) {
      onTrip(result.data.handOverTrip);
      setIdempotencyKey(crypto.randomUUID());
    }
  };

  return (
    <section className="arrivals-form" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('handOverTitle')}</h4>
      <form onSubmit={submit}>
        <div className="arrivals-fields">
          <label>
            {t('stop')}
            <select value={chosen} onChange={(e) => setStop(e.target.value)}>
              {arrived.map((s) => (
                <option key={s.region.code} value={s.region.code}>
                  {s.region.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('receiver')}
            <input type="text" value={receiver} onChange={(e) => setReceiver(e.target.value)} required />
          </label>
        </div>
        <GraphqlErrors errors={errorsOfResult(error)} />
        <button type="submit" disabled={fetching || !chosen}>
          {fetching ? t('handingOver') : t('handOver')}
        </button>
      </form>
    </section>
  );
}
