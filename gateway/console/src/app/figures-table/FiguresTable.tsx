import { useState, type ReactNode } from 'react';
import { useLanguage, useT } from '../i18n/language';
import { figuresCsv } from './csv';
import { saveFile } from '../downloads/save-file';
import { downloadName, type FigureColumn, type FigureRow, type FiguresHeader } from './figures';
import { formatFigure } from './format';
import { FIGURES_TABLE_MESSAGES } from './messages';
import './figures-table.css';

/** Props of {@link FiguresTable}. */
export interface FiguresTableProps {
  /** What the table is (its caption and the downloads' title). */
  title: string;
  /** What the figures are of, as the user reads it, e.g. "全国 (CN)". */
  scope: string;
  /** The day the figures are as of: YYYY-MM-DD, or LATEST for the live figures. */
  day: string;
  /** When the figures were read (ISO 8601). */
  asOf: string;
  columns: readonly FigureColumn[];
  rows: readonly FigureRow[];
  /** The column whose value identifies a row (its `data-testid`). @default the first column; the first column is the row's header */
  rowKey?: string;
  /** Prefix of the rows' and cells' `data-testid` (`<prefix>-row-<key>`). */
  testId?: string;
  /** Shows a cell otherwise (e.g. a region's name as a drill-down button); undefined: the formatted value. */
  renderCell?: (column: FigureColumn, row: FigureRow) => ReactNode | undefined;
}

/**
 * A real `<table>` of figures with CSV and XLSX downloads that carry the scope, the day and the
 * time of the figures above the table. Reusable by any screen.
 */
export function FiguresTable(props: FiguresTableProps) {
  const { title, scope, day, asOf, columns, rows, testId } = props;
  const t = useT(FIGURES_TABLE_MESSAGES);
  const { language } = useLanguage();
  const locale = language === 'zh' ? 'zh-CN' : 'en';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keyColumn = props.rowKey ?? columns[0]?.key ?? '';
  const header: FiguresHeader = {
    title,
    scope,
    day: day === 'LATEST' ? `LATEST (${t('latest')})` : day,
    asOf,
    labels: { title: t('title'), scope: t('scope'), day: t('day'), asOf: t('asOf') },
  };

  const downloadCsv = () => {
    saveFile(
      figuresCsv(header, columns, rows),
      downloadName({ title, day }, 'csv'),
      'text/csv;charset=utf-8',
    );
  };
  const downloadXlsx = async () => {
    setBusy(true);
    setError(null);
    try {
      const { figuresXlsx } = await import('./xlsx');
      const buffer = await figuresXlsx(header, columns, rows);
      saveFile(
        buffer,
        downloadName({ title, day }, 'xlsx'),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="figures-table" data-testid={testId}>
      <div className="figures-table-tools">
        <button type="button" onClick={downloadCsv} data-testid={testId && `${testId}-csv`}>
          {t('downloadCsv')}
        </button>
        <button type="button" onClick={downloadXlsx} disabled={busy} data-testid={testId && `${testId}-xlsx`}>
          {busy ? t('preparing') : t('downloadXlsx')}
        </button>
        {error && (
          <span role="alert">
            {t('downloadFailed')}: {error}
          </span>
        )}
      </div>
      <div className="figures-table-scroll">
        <table>
          <caption>
            {title} · {scope} · {header.day} · {t('asOf')} {new Date(asOf).toLocaleString(locale)}
          </caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length}>{t('empty')}</td>
              </tr>
            )}
            {rows.map((row, i) => {
              const key = String(row[keyColumn] ?? i);
              return (
                <tr key={key} data-testid={testId && `${testId}-row-${key}`}>
                  {columns.map((c, j) => {
                    const content =
                      props.renderCell?.(c, row) ?? formatFigure(row[c.key] ?? null, c.kind, locale);
                    return j === 0 ? (
                      <th key={c.key} scope="row" data-key={c.key}>
                        {content}
                      </th>
                    ) : (
                      <td key={c.key} data-key={c.key} data-value={row[c.key] ?? ''}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
