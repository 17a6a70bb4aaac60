import { useId, useState, type ReactNode } from 'react';
import { FiguresTable, type FiguresTableProps } from '../../figures-table/FiguresTable';
import { useT } from '../../i18n/language';
import { NATION_MESSAGES } from './messages';

/** Props of {@link ChartPanel}. */
export interface ChartPanelProps {
  title: string;
  /** The chart (or anything drawn); its numbers are the table's. */
  children: ReactNode;
  table: Omit<FiguresTableProps, 'title'>;
  /** Text under the title (what a figure means). */
  note?: string;
  testId: string;
  /** Spans the whole width of the screen's grid. */
  wide?: boolean;
}

/** A chart with its numbers as a table a click away (a real `<table>` with downloads). */
export function ChartPanel({ title, children, table, note, testId, wide }: ChartPanelProps) {
  const t = useT(NATION_MESSAGES);
  const [open, setOpen] = useState(false);
  const tableId = useId();
  const headingId = useId();
  return (
    <section
      className={wide ? 'nation-panel nation-wide' : 'nation-panel'}
      aria-labelledby={headingId}
      data-testid={testId}
    >
      <div className="nation-panel-head">
        <h3 id={headingId}>{title}</h3>
        <button
          type="button"
          className="nation-toggle"
          aria-expanded={open}
          aria-controls={tableId}
          onClick={() => setOpen(!open)}
          data-testid={`${testId}-toggle`}
        >
          {open ? t('hideTable') : t('showTable')}
        </button>
      </div>
      {note && <p className="nation-note">{note}</p>}
      {children}
      <div id={tableId} hidden={!open}>
        {open && <FiguresTable title={title} testId={`${testId}-table`} {...table} />}
      </div>
    </section>
  );
}
