import { useLanguage, useT } from '../../i18n/language';
import { formatFigure } from '../../figures-table/format';
import type { FigureColumn } from '../../figures-table/figures';
import { ChartPanel } from './ChartPanel';
import { NATION_MESSAGES } from './messages';
import type { RegionFigures } from './region-figures';

const CARDS = [
  'registered',
  'atHome',
  'travelling',
  'atWork',
  'underObservation',
  'outRate',
  'movedToday',
  'tripsOut',
  'passengersOut',
  'tripsIn',
  'passengersIn',
  'tripsInternal',
  'passengersInternal',
  'vehicles',
  'keyFillRate',
  'enterprises',
] as const;

/** Props of {@link TotalsCards}. */
export interface TotalsCardsProps {
  totals: RegionFigures;
  scope: string;
  day: string;
  asOf: string;
}

/** The scope's totals as cards, with the same numbers as a table. */
export function TotalsCards({ totals, scope, day, asOf }: TotalsCardsProps) {
  const t = useT(NATION_MESSAGES);
  const { language } = useLanguage();
  const locale = language === 'zh' ? 'zh-CN' : 'en';
  const kindOf = (key: (typeof CARDS)[number]): FigureColumn['kind'] =>
    key === 'outRate' || key === 'keyFillRate' ? 'percent' : 'number';
  return (
    <ChartPanel
      title={t('totals')}
      testId="nation-totals"
      note={t('movedTodayNote')}
      table={{
        scope,
        day,
        asOf,
        columns: [
          { key: 'figure', label: t('indicator') },
          { key: 'value', label: t('value'), kind: 'number' },
        ],
        rows: CARDS.map((key) => ({
          figure: t(key),
          value: kindOf(key) === 'percent' ? formatFigure(totals[key], 'percent', locale) : totals[key],
        })),
      }}
    >
      <dl className="nation-cards">
        {CARDS.map((key) => (
          <div key={key} className="nation-card" data-testid={`card-${key}`}>
            <dt>{t(key)}</dt>
            <dd data-value={totals[key] ?? ''}>{formatFigure(totals[key], kindOf(key), locale)}</dd>
          </div>
        ))}
      </dl>
    </ChartPanel>
  );
}
