import { useId } from 'react';
import { useLanguage, useT } from '../../i18n/language';
import type { LoggedEvent } from './board-state';
import { ARRIVALS_MESSAGES } from './messages';
import { formatTime } from './time-format';

/**
 * The trip events received, newest first, one line per cursor (`data-testid="event-<cursor>"`);
 * those that happened before this page opened came in when the board resumed.
 */
export function EventLog({ log, openedAt }: { log: readonly LoggedEvent[]; openedAt: string }) {
  const t = useT(ARRIVALS_MESSAGES);
  const { language } = useLanguage();
  const id = useId();
  return (
    <section className="arrivals-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('logTitle')}</h3>
      {log.length === 0 ? <p>{t('noEvents')}</p> : null}
      <ol className="arrivals-log" data-testid="arrivals-log">
        {log.map((e) => (
          <li
            key={e.cursor}
            data-testid={`event-${e.cursor}`}
            data-kind={e.kind}
            data-trip={e.tripId}
            className="arrivals-log-event"
          >
            <time dateTime={e.at}>{formatTime(e.at, language)}</time> <strong>{t(`kind_${e.kind}`)}</strong>{' '}
            {e.vehicleCode}
            {e.stopName ? ` · ${t('stopAt', { name: e.stopName })}` : ''}
            {e.at < openedAt && e.receivedAt >= openedAt ? (
              <span className="arrivals-muted"> · {t('whileClosed')}</span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
