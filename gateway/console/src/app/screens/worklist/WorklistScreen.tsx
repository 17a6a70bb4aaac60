import { useCallback, useState, type KeyboardEvent } from 'react';
import type { WorklistWorkerFragment } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { ImportPanel } from './ImportPanel';
import { WORKLIST_MESSAGES } from './messages';
import { ReturnRequestsPanel } from './ReturnRequestsPanel';
import { TripPlanner } from './TripPlanner';
import { type WorkerFilter, WorkersPanel } from './WorkersPanel';
import './worklist.css';

const TABS = ['workers', 'requests', 'import'] as const;
type Tab = (typeof TABS)[number];

/**
 * A province's (or city's) officer's worklist: workers by region, status and travel intent with
 * "one vehicle, one plan" beside them; return requests filed for the workers, live; the registry
 * import. Every panel stays mounted while another is shown, so the live list keeps listening.
 */
export function WorklistScreen() {
  const t = useT(WORKLIST_MESSAGES);
  const [tab, setTab] = useState<Tab>('workers');
  const [chosen, setChosen] = useState<ReadonlyMap<string, WorklistWorkerFragment>>(new Map());
  const [listed, setListed] = useState({ homeRegion: '', destination: '' });
  const [reloadToken, setReloadToken] = useState(0);
  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  const toggle = useCallback((workers: WorklistWorkerFragment[], on: boolean) => {
    setChosen((current) => {
      const next = new Map(current);
      for (const w of workers) {
        if (on) next.set(w.id, w);
        else next.delete(w.id);
      }
      return next;
    });
  }, []);
  // The tabs' keyboard: arrows move between them (only the selected one is in the tab order).
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
    setTab(next);
    document.getElementById(`worklist-tab-${next}`)?.focus();
  };
  const filtered = useCallback(
    (filter: WorkerFilter) =>
      setListed({ homeRegion: filter.homeRegion, destination: filter.destination.trim() }),
    [],
  );
  const assigned = useCallback(() => {
    setChosen(new Map());
    reload();
  }, [reload]);

  return (
    <section data-testid="worklist-screen" className="worklist" aria-labelledby="worklist-title">
      <h1 id="worklist-title" className="worklist-title">
        {t('title')}
      </h1>
      <div role="tablist" aria-label={t('title')} className="worklist-tabs" onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`worklist-tab-${name}`}
            aria-controls={`worklist-panel-${name}`}
            aria-selected={tab === name}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(`tab_${name}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id="worklist-panel-workers"
        aria-labelledby="worklist-tab-workers"
        hidden={tab !== 'workers'}
        className="worklist-columns"
      >
        <WorkersPanel selected={chosen} onToggle={toggle} onFilter={filtered} reloadToken={reloadToken} />
        <TripPlanner
          chosen={[...chosen.values()]}
          origin={listed.homeRegion}
          destination={listed.destination}
          onAssigned={assigned}
        />
      </div>
      <div
        role="tabpanel"
        id="worklist-panel-requests"
        aria-labelledby="worklist-tab-requests"
        hidden={tab !== 'requests'}
      >
        <ReturnRequestsPanel />
      </div>
      <div
        role="tabpanel"
        id="worklist-panel-import"
        aria-labelledby="worklist-tab-import"
        hidden={tab !== 'import'}
      >
        <ImportPanel onImported={reload} />
      </div>
    </section>
  );
}
