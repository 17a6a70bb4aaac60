import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { HandOverArrivedTripDocument, type ArrivalTripFragment } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { useIdempotencyKey } from '../../graphql/use-idempotency-key';
import { ARRIVALS_MESSAGES } from './messages';
import { StopFormSection, StopSelect } from './StopForm';

/** Hands over the passengers of an arrived stop to a receiver named in free text. */
export function HandOverForm({
  trip,
  onTrip,
}: {
  trip: ArrivalTripFragment;
  onTrip(trip: ArrivalTripFragment): void;
}) {
  const t = useT(ARRIVALS_MESSAGES);
  const arrived = trip.stops.filter((s) => s.status === 'ARRIVED');
  const [stop, setStop] = useState(arrived[0]?.region.code ?? '');
  const [receiver, setReceiver] = useState('');
  const [idempotencyKey, renewKey] = useIdempotencyKey('hand-over');
  const [{ fetching, error, data }, handOver] = useMutation(HandOverArrivedTripDocument);
  const chosen = arrived.some((s) => s.region.code === stop) ? stop : (arrived[0]?.region.code ?? '');

  if (arrived.length === 0)
    return (
      <StopFormSection title={t('handOverTitle')}>
        <p>{data ? t('handedOver') : t('noStopToHandOver')}</p>
      </StopFormSection>
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
      renewKey();
    }
  };

  return (
    <StopFormSection title={t('handOverTitle')}>
      <form onSubmit={submit}>
        <div className="arrivals-fields">
          <StopSelect stops={arrived} value={chosen} onChange={setStop} />
          <label>
            {t('receiver')}
            <input type="text" value={receiver} onChange={(e) => setReceiver(e.target.value)} required />
          </label>
        </div>
        <GraphqlErrorAlert errors={[error]} />
        <button type="submit" disabled={fetching || !chosen}>
          {fetching ? t('handingOver') : t('handOver')}
        </button>
      </form>
    </StopFormSection>
  );
}
