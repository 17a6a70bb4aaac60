import { useMemo } from 'react';
import { useQuery } from 'urql';
import { NationSeriesDocument } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { ChartPanel } from './ChartPanel';
import { EChart } from './charts/EChart';
import { lineOption } from './charts/chart-options';
import { addDays, chinaToday } from './days';
import { NATION_MESSAGES } from './messages';
import { departedPassengers } from './region-figures';

/** How many days the series shows. */
export const SERIES_DAYS = 14;

/** Props of {@link SeriesPanel}. */
export interface SeriesPanelProps {
  scope: string | null;
  scopeLabel: string;
}

/**
 * The scope's daily series (`dailySeries`) over the last {@link SERIES_DAYS} days: registered, at
 * work, gone out, and the passengers who departed that day (the difference of the running totals,
 * which is why one more day is asked for).
 */
export function SeriesPanel({ scope, scopeLabel }: SeriesPanelProps) {
  const t = useT(NATION_MESSAGES);
  const to = chinaToday();
  const [{ data, error }] = useQuery({
    query: NationSeriesDocument,
    variables: { scope, from: addDays(to, -SERIES_DAYS), to },
  });
  const asOf = useMemo(() => (data ? new Date().toISOString() : ''), [data]);
  const days = useMemo(() => {
    const series = data?.dailySeries ?? [];
    return series.slice(1).map((summary, i) => ({
      day: summary.day,
      registered: summary.workers.registered,
      atWork: summary.workers.atWork,
      out: summary.workers.out,
      movedThatDay: departedPassengers(summary) - departedPassengers(series[i]!),
    }));
  }, [data]);
  const title = t('seriesTitle', { n: SERIES_DAYS });
  if (!data)
    return error ? (
      <p role="alert">
        {title}: {t('failed')}: {error.message}
      </p>
    ) : (
      <p>{t('loading')}</p>
    );
  const keys = ['registered', 'atWork', 'out', 'movedThatDay'] as const;
  return (
    <ChartPanel
      title={title}
      testId="nation-series"
      table={{
        scope: scopeLabel,
        day: `${days[0]?.day ?? to} … ${to}`,
        asOf,
        columns: [
          { key: 'day', label: t('day') },
          ...keys.map((key) => ({ key, label: t(key), kind: 'number' as const })),
        ],
        rows: days,
      }}
    >
      <EChart
        height={300}
        label={t('seriesLabel')}
        option={lineOption(
          days.map((d) => d.day),
          keys.map((key) => ({ name: t(key), values: days.map((d) => d[key]) })),
        )}
      />
    </ChartPanel>
  );
}
