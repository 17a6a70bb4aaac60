import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import type { FigureRow } from '../../figures-table/figures';
import { NationSummaryDocument } from '../../generated/graphql';
import { useLanguage, useT } from '../../i18n/language';
import { ChartPanel } from './ChartPanel';
import { EChart } from './charts/EChart';
import { barOption } from './charts/chart-options';
import { tileMapOption } from './charts/tile-map-option';
import {
  FLOW_CLASSES,
  figureKind,
  flowColumns,
  keyFillColumns,
  MAP_FIGURES,
  overviewColumns,
  type MapFigure,
} from './columns';
import { addDays, chinaToday } from './days';
import { NATION_MESSAGES } from './messages';
import { regionFigures, unansweredChildren, unansweredProvinces, type RegionFigures } from './region-figures';
import { SeriesPanel } from './SeriesPanel';
import { tileOf } from './tile-layout';
import { TotalsCards } from './TotalsCards';
import { formatFigure } from '../../figures-table/format';

/** A level of the drill-down: a region, or the nation (code null). */
export interface Crumb {
  code: string | null;
  name?: string;
}

/** Props of {@link ScopeView}. */
export interface ScopeViewProps {
  scope: Crumb;
  /** Opens a region below (a tile or a row clicked). */
  onDrill: (crumb: Crumb) => void;
  /** Tells the breadcrumb the scope's name once the API gave it. */
  onName?: (name: string) => void;
}

/** The figures of one scope: totals, the regions one level below (a tile map for the nation), daily series, flow classes, key-enterprise fill rate. */
export function ScopeView({ scope, onDrill }: ScopeViewProps) {
  const t = useT(NATION_MESSAGES);
  const { language } = useLanguage();
  const locale = language === 'zh' ? 'zh-CN' : 'en';
  const [figure, setFigure] = useState<MapFigure>('registered');
  const today = chinaToday();
  const [result, reexecute] = useQuery({
    query: NationSummaryDocument,
    variables: { scope: scope.code, yesterday: addDays(today, -1) },
  });
  const { data, error, fetching } = result;
  // When the figures were read: the time this answer arrived.
  const asOf = useMemo(() => (data ? new Date().toISOString() : ''), [data]);

  const view = useMemo(() => {
    if (!data) return null;
    const unanswered = unansweredChildren(
      error?.graphQLErrors ?? [],
      data.summary.children.map((c) => c.scope),
    );
    const yesterdayOf = new Map(data.yesterday.children.map((c) => [c.scope, c]));
    const nameOf = (code: string, apiName: string | undefined) =>
      code === 'CN'
        ? t('nation')
        : language === 'en' && code.endsWith('0000') && tileOf(code)
          ? tileOf(code)!.en
          : (apiName ?? code);
    const totals = regionFigures(data.summary, nameOf(data.summary.scope, data.summary.region?.name), {
      yesterday: data.yesterday,
      unavailable: false,
    });
    const children = data.summary.children.map((child, i) => ({
      figures: regionFigures(child, nameOf(child.scope, child.region?.name), {
        yesterday: yesterdayOf.get(child.scope) ?? null,
        unavailable: unanswered.has(i),
      }),
    }));
    return { totals, children };
  }, [data, error, language, t]);

  if (!data) {
    if (error)
      return (
        <p role="alert">
          {t('failed')}: {error.message} {codesOf(error.graphQLErrors)}
        </p>
      );
    return <p>{t('loading')}</p>;
  }
  if (!view) return null;

  const { totals, children } = view;
  const scopeLabel = `${totals.name} (${totals.code})`;
  const day = data.summary.day;
  const isNation = scope.code === null;
  const statusText = (f: RegionFigures) =>
    f.status === 'unavailable'
      ? t('statusUnavailable')
      : f.status === 'empty'
        ? t('statusEmpty')
        : t('statusOk');
  const rows: FigureRow[] = children.map(({ figures }) => ({ ...figures, statusText: statusText(figures) }));
  // A township (nine digits) has no regions below it.
  const drillable = new Set(children.filter((c) => c.figures.code.length === 6).map((c) => c.figures.code));
  const withData = children.filter((c) => c.figures.status !== 'empty').map((c) => c.figures);
  const format = (value: number) => formatFigure(value, figureKind(figure), locale);
  const drill = (code: string) => {
    const child = children.find((c) => c.figures.code === code);
    if (child && drillable.has(code)) onDrill({ code, name: child.figures.name });
  };
  const renderCell = (column: { key: string }, row: FigureRow) =>
    column.key === 'name' && drillable.has(String(row.code)) ? (
      <button
        type="button"
        className="link-button"
        onClick={() => drill(String(row.code))}
        aria-label={t('drillDown', { name: String(row.name) })}
        data-testid={`drill-${row.code}`}
      >
        {row.name}
      </button>
    ) : undefined;
  const tableBase = { scope: scopeLabel, day, asOf, rowKey: 'code', renderCell };
  const partial = (error?.graphQLErrors.length ?? 0) > 0;
  const corridors = data.summary.transport.corridors;
  const provinceName = (region: { code: string; name: string }) =>
    language === 'en' ? (tileOf(region.code)?.en ?? region.name) : region.name;
  const corridorRows: FigureRow[] = corridors.map((c) => ({
    key: c.key,
    origin: provinceName(c.origin),
    destination: provinceName(c.destination),
    trips: c.trips,
    passengers: c.passengers,
    movedTrips: c.moved.trips,
    movedPassengers: c.moved.passengers,
  }));

  return (
    <div className="nation-scope" data-testid="nation-scope" data-scope={totals.code}>
      <div className="nation-toolbar">
        <span className="nation-asof" data-testid="nation-asof">
          {t('asOf')}: {day === 'LATEST' ? t('latest') : day} · {new Date(asOf).toLocaleString(locale)}
        </span>
        <button
          type="button"
          onClick={() => reexecute({ requestPolicy: 'network-only' })}
          disabled={fetching}
        >
          {t('refresh')}
        </button>
      </div>
      {partial && (
        <p role="alert" data-testid="nation-partial">
          {t('partial')} {codesOf(error!.graphQLErrors)}{' '}
          {unansweredProvinces(error!.graphQLErrors)
            .map((code) => (language === 'en' ? tileOf(code)?.en : tileOf(code)?.zh) ?? code)
            .join('、')}
        </p>
      )}
      <ChartPanel
        title={isNation ? t('mapTitle') : t('childrenTitle')}
        testId="nation-map"
        note={isNation ? t('mapLegend') : undefined}
        table={{ ...tableBase, columns: overviewColumns(t), rows }}
      >
        <label className="nation-figure">
          {isNation ? t('figure') : t('chartFigure')}{' '}
          <select
            value={figure}
            onChange={(e) => setFigure(e.target.value as MapFigure)}
            data-testid="nation-figure"
          >
            {MAP_FIGURES.map((f) => (
              <option key={f} value={f}>
                {t(f)}
              </option>
            ))}
          </select>
        </label>
        {isNation ? (
          <div className="nation-map-box">
            <EChart
              height={580}
              label={t('mapLabel', { figure: t(figure) })}
              testId="nation-tile-map"
              onItemClick={(click) => drill(click.name)}
              option={tileMapOption({
                provinces: children.map((c) => c.figures),
                figure,
                figureName: t(figure),
                format,
                language,
                labels: { empty: t('statusEmpty'), unavailable: t('statusUnavailable') },
                flows: corridors.map((c) => ({
                  from: c.origin.code,
                  to: c.destination.code,
                  moved: c.moved.passengers,
                  planned: c.passengers,
                })),
              })}
            />
          </div>
        ) : (
          <EChart
            height={360}
            label={t('childrenLabel', { figure: t(figure) })}
            testId="nation-children-chart"
            onItemClick={(click) => {
              const child = children.find((c) => c.figures.name === click.name);
              if (child) drill(child.figures.code);
            }}
            option={barOption(
              children.map((c) => c.figures.name),
              [{ name: t(figure), values: children.map((c) => c.figures[figure] ?? 0) }],
              { percent: figureKind(figure) === 'percent' },
            )}
          />
        )}
      </ChartPanel>

      <TotalsCards totals={totals} scope={scopeLabel} day={day} asOf={asOf} />

      <SeriesPanel scope={scope.code} scopeLabel={scopeLabel} />

      <ChartPanel
        title={t('corridorsTitle')}
        testId="nation-corridors"
        table={{
          scope: scopeLabel,
          day,
          asOf,
          rowKey: 'key',
          columns: [
            { key: 'origin', label: t('origin') },
            { key: 'destination', label: t('destination') },
            { key: 'key', label: t('code') },
            { key: 'trips', label: t('trips'), kind: 'number' },
            { key: 'passengers', label: t('passengers'), kind: 'number' },
            { key: 'movedTrips', label: t('movedTrips'), kind: 'number' },
            { key: 'movedPassengers', label: t('movedPassengers'), kind: 'number' },
          ],
          rows: corridorRows,
        }}
      >
        <EChart
          height={300}
          label={t('corridorsLabel')}
          option={barOption(
            corridorRows.map((c) => `${c.origin}→${c.destination}`),
            [
              { name: t('movedPassengers'), values: corridors.map((c) => c.moved.passengers) },
              { name: t('passengers'), values: corridors.map((c) => c.passengers) },
            ],
          )}
        />
      </ChartPanel>

      <ChartPanel
        title={t('keyFillTitle')}
        testId="nation-keyfill"
        table={{ ...tableBase, columns: keyFillColumns(t), rows }}
      >
        <EChart
          height={300}
          label={t('keyFillLabel')}
          option={barOption(
            withData.map((f) => f.name),
            [{ name: t('keyFillRate'), values: withData.map((f) => f.keyFillRate) }],
            { percent: true },
          )}
        />
      </ChartPanel>
      <ChartPanel
        title={t('flowTitle')}
        testId="nation-flow"
        wide
        table={{ ...tableBase, columns: flowColumns(t), rows }}
      >
        <EChart
          height={340}
          label={t('flowLabel')}
          option={barOption(
            withData.map((f) => f.name),
            FLOW_CLASSES.map((key) => ({ name: t(key), values: withData.map((f) => f[key]) })),
            { stacked: true },
          )}
        />
      </ChartPanel>
    </div>
  );
}

/** The error codes of a partial or failed answer, e.g. "[PROVINCE_UNAVAILABLE]". */
function codesOf(errors: readonly { extensions?: { code?: unknown } }[]): string {
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? '')).filter(Boolean))];
  return codes.length ? `[${codes.join(', ')}]` : '';
}
