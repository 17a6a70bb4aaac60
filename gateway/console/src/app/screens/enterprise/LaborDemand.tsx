import { useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import {
  EnterpriseReportLaborDemandDocument,
  type EnterpriseDemandFragment,
  type EnterpriseJobPostsQuery,
} from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { fillRate } from './beijing-time';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { newIdempotencyKey } from '../../graphql/idempotency-key';
import { ENTERPRISE_MESSAGES } from './messages';
import { PostJobForm } from './PostJobForm';

/** A job post of the enterprise. */
export type JobPost = EnterpriseJobPostsQuery['jobs']['edges'][number]['node'];

interface LaborDemandProps {
  enterprise: EnterpriseDemandFragment | null;
  enterpriseId: string;
  posts: readonly JobPost[];
  postsError: CombinedError | undefined;
  /** The province has more posts than the first page read (some of the enterprise's may be there). */
  postsMayBeMore: boolean;
  /** Called after the hub recorded a new report. */
  onReported(): void;
  /** Called after a job was posted. */
  onPosted(): void;
}

/** The enterprise's labour demand (openings, filled, fill rate), its report form and its job posts. */
export function LaborDemand({
  enterprise,
  enterpriseId,
  posts,
  postsError,
  postsMayBeMore,
  onReported,
  onPosted,
}: LaborDemandProps) {
  const t = useT(ENTERPRISE_MESSAGES);
  const [openings, setOpenings] = useState('');
  const [filled, setFilled] = useState('');
  const [reported, setReported] = useState(false);
  const [report, reportLaborDemand] = useMutation(EnterpriseReportLaborDemandDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setReported(false);
    const result = await reportLaborDemand({
      enterpriseId,
      openings: Number(openings),
      ...(filled.trim() ? { filled: Number(filled) } : {}),
      idempotencyKey: newIdempotencyKey('demand'),
    });
    if (result.data?.reportLaborDemand) {
      setReported(true);
      setOpenings('');
      setFilled('');
      onReported();
    }
  };

  return (
    <section className="enterprise-panel" aria-labelledby="demand-title">
      <h3 id="demand-title">{t('demandTitle')}</h3>
      <dl className="enterprise-figures" data-testid="labor-demand">
        <div>
          <dt>{t('openings')}</dt>
          <dd data-testid="openings">{enterprise ? enterprise.openings : '—'}</dd>
        </div>
        <div>
          <dt>{t('filled')}</dt>
          <dd data-testid="filled">{enterprise ? enterprise.filled : '—'}</dd>
        </div>
        <div>
          <dt>{t('fillRate')}</dt>
          <dd data-testid="fill-rate">
            {enterprise ? fillRate(enterprise.filled, enterprise.openings) : '—'}
          </dd>
        </div>
      </dl>
      <form className="enterprise-form enterprise-inline-form" onSubmit={submit}>
        <label>
          {t('newOpenings')}
          <input
            type="number"
            min={0}
            max={100000}
            step={1}
            required
            value={openings}
            onChange={(e) => setOpenings(e.target.value)}
          />
        </label>
        <label>
          {t('newFilled')}
          <input type="number" min={0} step={1} value={filled} onChange={(e) => setFilled(e.target.value)} />
        </label>
        <button type="submit" disabled={report.fetching}>
          {t('reportDemand')}
        </button>
      </form>
      <GraphqlErrorAlert errors={[report.error]} title={t('errorsTitle')} />
      {reported ? (
        <p role="status" className="enterprise-ok">
          {t('demandReported')}
        </p>
      ) : null}
      <h4>{t('postsTitle')}</h4>
      <GraphqlErrorAlert errors={[postsError]} title={t('errorsTitle')} />
      {posts.length === 0 ? (
        <p className="enterprise-muted">{t('noPosts')}</p>
      ) : (
        <table className="enterprise-table" data-testid="job-posts">
          <caption className="enterprise-sr-only">{t('postsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('postTitle')}</th>
              <th scope="col">{t('postRegion')}</th>
              <th scope="col">{t('openings')}</th>
              <th scope="col">{t('filled')}</th>
              <th scope="col">{t('fillRate')}</th>
            </tr>
          </thead>
          <tbody>
            {posts.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.title}</th>
                <td className="enterprise-text">{p.region.name}</td>
                <td>{p.openings}</td>
                <td>{p.filled}</td>
                <td>{fillRate(p.filled, p.openings)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {postsMayBeMore ? <p className="enterprise-muted">{t('postsMayBeMore')}</p> : null}
      {enterprise ? (
        <PostJobForm
          enterpriseId={enterpriseId}
          enterpriseRegion={enterprise.region.code}
          onPosted={onPosted}
        />
      ) : null}
    </section>
  );
}
