import { useCallback, useEffect, useMemo } from 'react';
import { useQuery } from 'urql';
import { EnterpriseJobPostsDocument, EnterpriseProfileDocument } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { FileRequestForm } from './FileRequestForm';
import { LaborDemand } from './LaborDemand';
import { ENTERPRISE_MESSAGES } from './messages';
import { ReturnRequestsPanel } from './ReturnRequestsPanel';
import { useEnterpriseReturnRequests } from './use-return-requests';
import './enterprise.css';

/** The province of a region code (`110105` → `110000`). */
const provinceOf = (region: string) => `${region.slice(0, 2)}0000`;

/**
 * The enterprise's HR screen: its labour demand and job posts, filing return requests, and the
 * requests it filed followed live (status, the worker's trip and ETA) with confirmation on post.
 * Works for the enterprise of the caller's token (`enterpriseId`, `region`).
 */
export function EnterpriseScreen() {
  const t = useT(ENTERPRISE_MESSAGES);
  const { caller } = useSignedIn();
  if (!caller.enterpriseId || !caller.region)
    return (
      <section data-testid="enterprise-screen" className="enterprise">
        <h2>{t('title')}</h2>
        <p role="alert">{t('noEnterprise')}</p>
      </section>
    );
  return <EnterpriseDesk enterpriseId={caller.enterpriseId} region={caller.region} />;
}

function EnterpriseDesk({ enterpriseId, region }: { enterpriseId: string; region: string }) {
  const t = useT(ENTERPRISE_MESSAGES);
  const [profile, reexecuteProfile] = useQuery({
    query: EnterpriseProfileDocument,
    variables: { id: enterpriseId },
  });
  const [posts, reexecutePosts] = useQuery({
    query: EnterpriseJobPostsDocument,
    variables: { region: provinceOf(region) },
  });
  const requests = useEnterpriseReturnRequests(enterpriseId, region);
  const refreshProfile = useCallback(
    () => reexecuteProfile({ requestPolicy: 'network-only' }),
    [reexecuteProfile],
  );

  // a worker on post fills an opening: read the enterprise's figures again
  const lastEvent = requests.lastEvent;
  useEffect(() => {
    if (lastEvent?.status !== 'ON_POST') return;
    refreshProfile();
    if (lastEvent.returnRequest.job) reexecutePosts({ requestPolicy: 'network-only' });
  }, [lastEvent, refreshProfile, reexecutePosts]);

  const enterprise = profile.data?.enterprise ?? null;
  const ownPosts = useMemo(
    () => (posts.data?.jobs.edges ?? []).map((e) => e.node).filter((p) => p.enterprise.id === enterpriseId),
    [posts.data, enterpriseId],
  );
  return (
    <section data-testid="enterprise-screen" className="enterprise" aria-labelledby="enterprise-title">
      <header className="enterprise-header">
        <h2 id="enterprise-title">{enterprise?.name ?? t('title')}</h2>
        {enterprise ? (
          <p className="enterprise-muted">
            {enterprise.region.name} · {enterprise.sector}
            {enterprise.key ? <span className="enterprise-badge">{t('keyEnterprise')}</span> : null}
          </p>
        ) : null}
      </header>
      <GraphqlErrorAlert errors={[profile.error]} title={t('errorsTitle')} />
      {profile.data && !enterprise ? <p role="alert">{t('enterpriseNotFound')}</p> : null}
      <div className="enterprise-columns">
        <LaborDemand
          enterprise={enterprise}
          enterpriseId={enterpriseId}
          posts={ownPosts}
          postsError={posts.error}
          postsMayBeMore={!!posts.data?.jobs.pageInfo.hasNextPage}
          onReported={refreshProfile}
          onPosted={() => reexecutePosts({ requestPolicy: 'network-only' })}
        />
        <FileRequestForm
          enterpriseId={enterpriseId}
          posts={ownPosts}
          onFiled={(row) => requests.add([row])}
        />
      </div>
      <ReturnRequestsPanel
        requests={requests}
        onConfirmed={(row) => {
          requests.add([row]);
          refreshProfile();
          if (row.job) reexecutePosts({ requestPolicy: 'network-only' });
        }}
      />
    </section>
  );
}
