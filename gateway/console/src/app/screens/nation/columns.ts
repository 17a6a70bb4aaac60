import type { FigureColumn } from '../../figures-table/figures';
import type { NATION_MESSAGES } from './messages';
import type { RegionFigures } from './region-figures';

type MessageKey = keyof (typeof NATION_MESSAGES)['zh'];
type Translate = (key: MessageKey) => string;

/** The figures a map or bar chart can be coloured by. */
export const MAP_FIGURES = ['registered', 'atWork', 'outRate', 'movedToday'] as const;
export type MapFigure = (typeof MAP_FIGURES)[number];

/** The kind of each figure that is not a plain count. */
const PERCENT = new Set<keyof RegionFigures>(['outRate', 'keyFillRate']);

function figureColumns(t: Translate, keys: readonly (keyof RegionFigures & MessageKey)[]): FigureColumn[] {
  return keys.map((key) => ({ key, label: t(key), kind: PERCENT.has(key) ? 'percent' : 'number' }));
}

/** The leading columns of a table of regions: name, code and whether the figures could be read. */
export function regionColumns(t: Translate): FigureColumn[] {
  return [
    { key: 'name', label: t('region') },
    { key: 'code', label: t('code') },
    { key: 'statusText', label: t('status') },
  ];
}

/** The columns of the regions table (the map's and the drill-down's). */
export function overviewColumns(t: Translate): FigureColumn[] {
  return [
    ...regionColumns(t),
    ...figureColumns(t, [
      'registered',
      'atHome',
      'travelling',
      'atWork',
      'out',
      'outRate',
      'movedToday',
      'tripsOut',
      'passengersOut',
      'tripsIn',
      'passengersIn',
      'keyFillRate',
    ]),
  ];
}

/** Hebei's five flow classes. */
export const FLOW_CLASSES = [
  'withinTownship',
  'withinCounty',
  'withinCity',
  'withinProvince',
  'crossProvince',
] as const;

/** The columns of the flow-classes table. */
export function flowColumns(t: Translate): FigureColumn[] {
  return [...regionColumns(t), ...figureColumns(t, FLOW_CLASSES)];
}

/** The columns of the key-enterprise table. */
export function keyFillColumns(t: Translate): FigureColumn[] {
  return [
    ...regionColumns(t),
    ...figureColumns(t, ['keyEnterprises', 'keyOpenings', 'keyFilled', 'keyFillRate']),
  ];
}

/** The kind of a map figure. */
export function figureKind(figure: MapFigure): FigureColumn['kind'] {
  return PERCENT.has(figure) ? 'percent' : 'number';
}
