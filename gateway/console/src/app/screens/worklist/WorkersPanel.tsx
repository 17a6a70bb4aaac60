import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { type CombinedError, useClient, useQuery } from 'urql';
import {
  type WorklistWorkerFragment,
  WorklistRegionsDocument,
  WorklistWorkersDocument,
  type WorkerStatus,
} from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { WORKLIST_MESSAGES } from './messages';
import { STATUS_KEYS, WorkerStatusLabel } from './WorkerStatusLabel';

/** Workers a page of the list loads. */
const PAGE_SIZE = 50;

/** The list's filters: home region, status and travel intent (destination and dates). */
export interface WorkerFilter {
  homeRegion: string;
  status: WorkerStatus | '';
  destination: string;
  from: string;
  to: string;
}

interface ListState {
  workers: WorklistWorkerFragment[];
  totalCount: number | null;
  endCursor: string | null;
  hasNextPage: boolean;
  loading: boolean;
  error: CombinedError | null;
}

const EMPTY: ListState = {
  workers: [],
  totalCount: null,
  endCursor: null,
  hasNextPage: false,
  loading: true,
  error: null,
};

/**
 * Workers by home region, status and travel intent, a page at a time ("load more"), each with a
 * box to put him on the trip being planned.
 */
export function WorkersPanel({
  selected,
  onToggle,
  onFilter,
  reloadToken,
}: {
  selected: ReadonlyMap<string, WorklistWorkerFragment>;
  onToggle(workers: WorklistWorkerFragment[], on: boolean): void;
  onFilter(filter: WorkerFilter): void;
  /** Changes when the list should be read again (after an import or an assignment). */
  reloadToken: number;
}) {
  const t = useT(WORKLIST_MESSAGES);
  const client = useClient();
  const { caller } = useSignedIn();
  const scope = caller.region ?? '';
  const [draft, setDraft] = useState<WorkerFilter>({
    homeRegion: scope,
    status: '',
    destination: '',
    from: '',
    to: '',
  });
  const [filter, setFilter] = useState<WorkerFilter>(draft);
  const [list, setList] = useState<ListState>(EMPTY);
  const request = useRef(0);
  const [regions] = useQuery({ query: WorklistRegionsDocument, variables: { parent: scope }, pause: !scope });

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++request.current;
      setList((s) => ({ ...(after ? s : EMPTY), loading: true, error: null }));
      const destination = filter.destination.trim();
      const result = await client
        .query(WorklistWorkersDocument, {
          homeRegion: filter.homeRegion,
          ...(filter.status ? { status: filter.status } : {}),
          ...(destination
            ? {
                intent: {
                  destination,
                  ...(filter.from ? { from: filter.from } : {}),
                  ...(filter.to ? { to: filter.to } : {}),
                },
              }
            : {}),
          first: PAGE_SIZE,
          ...(after ? { after } : {}),
        })
        .toPromise();
      if (mine !== request.current) return;
      const page = result.data?.workers;
      setList((s) => ({
        workers: [...(after ? s.workers : []), ...(page?.edges.map((e) => e.node) ?? [])],
        totalCount: page?.totalCount ?? (after ? s.totalCount : null),
        endCursor: page?.pageInfo.endCursor ?? null,
        hasNextPage: page?.pageInfo.hasNextPage ?? false,
        loading: false,
        error: result.error ?? null,
      }));
    },
    [client, filter],
  );

  useEffect(() => {
    void reloadToken;
    void load(null);
  }, [load, reloadToken]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft);
    onFilter(draft);
  };
  const field = <K extends keyof WorkerFilter>(key: K, value: WorkerFilter[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const allShownSelected = list.workers.length > 0 && list.workers.every((w) => selected.has(w.id));

  return (
    <section aria-labelledby="workers-title" className="worklist-panel">
      <h2 id="workers-title">{t('workersTitle')}</h2>
      <form className="worklist-filters" onSubmit={apply} aria-label={t('filters')}>
        <label>
          {t('homeRegion')}
          <select value={draft.homeRegion} onChange={(e) => field('homeRegion', e.target.value)}>
            <option value={scope}>{t('wholeScope')}</option>
            {(regions.data?.regions ?? []).map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('status')}
          <select value={draft.status} onChange={(e) => field('status', e.target.value as WorkerStatus | '')}>
            <option value="">{t('anyStatus')}</option>
            {STATUS_KEYS.map((s) => (
              <option key={s} value={s}>
                <WorkerStatusLabel status={s} />
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('intentDestination')}
          <input
            value={draft.destination}
            onChange={(e) => field('destination', e.target.value)}
            inputMode="numeric"
            pattern="\d{6}(\d{3})?"
            placeholder="440300"
            size={10}
          />
        </label>
        <label>
          {t('intentFrom')}
          <input type="date" value={draft.from} onChange={(e) => field('from', e.target.value)} />
        </label>
        <label>
          {t('intentTo')}
          <input type="date" value={draft.to} onChange={(e) => field('to', e.target.value)} />
        </label>
        <button type="submit">{t('search')}</button>
      </form>
      <GraphqlErrorAlert errors={[list.error]} />
      <div className="worklist-row">
        <p data-testid="worker-count" aria-live="polite">
          {list.totalCount === null
            ? t('loading')
            : t('workerCount', { total: list.totalCount, shown: list.workers.length })}
        </p>
        <p>{t('selectedCount', { n: selected.size })}</p>
      </div>
      <table className="worklist-table" data-testid="workers">
        <caption className="visually-hidden">{t('workersTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label={t('selectAllShown')}
                checked={allShownSelected}
                onChange={(e) => onToggle(list.workers, e.target.checked)}
              />
            </th>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('homeRegion')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('travelIntent')}</th>
            <th scope="col">{t('healthCode')}</th>
          </tr>
        </thead>
        <tbody>
          {list.workers.map((w) => (
            <tr key={w.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('selectWorker', { name: w.name })}
                  checked={selected.has(w.id)}
                  onChange={(e) => onToggle([w], e.target.checked)}
                />
              </td>
              <th scope="row">{w.name}</th>
              <td>{w.homeRegion.name}</td>
              <td>
                <WorkerStatusLabel status={w.status} />
              </td>
              <td>
                {w.travelIntent
                  ? `${w.travelIntent.destination.name} ${w.travelIntent.earliestDate} – ${w.travelIntent.latestDate}`
                  : '—'}
              </td>
              <td>{w.health ? w.health.code : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.hasNextPage ? (
        <button
          type="button"
          className="worklist-more"
          disabled={list.loading}
          onClick={() => void load(list.endCursor)}
        >
          {t('loadMore')}
        </button>
      ) : null}
    </section>
  );
}
