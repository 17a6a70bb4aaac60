/** What the arrival forms (confirm an arrival, hand over) share: their section and the stop picker. */
import { useId, type ReactNode } from 'react';
import type { ArrivalTripFragment } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { ARRIVALS_MESSAGES } from './messages';

type Stop = ArrivalTripFragment['stops'][number];

/** A form's section titled `title`; `children` is its form, or why there is none. */
export function StopFormSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="arrivals-form" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{title}</h4>
      {children}
    </section>
  );
}

/** The labelled choice of one of `stops`, by region. */
export function StopSelect({
  stops,
  value,
  onChange,
}: {
  stops: readonly Stop[];
  value: string;
  onChange(region: string): void;
}) {
  const t = useT(ARRIVALS_MESSAGES);
  return (
    <label>
      {t('stop')}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {stops.map((s) => (
          <option key={s.region.code} value={s.region.code}>
            {s.region.name}
          </option>
        ))}
      </select>
    </label>
  );
}
