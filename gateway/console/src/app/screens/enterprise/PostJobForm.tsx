import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { EnterprisePostJobDocument } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { newIdempotencyKey } from '../../graphql/idempotency-key';
import { ENTERPRISE_MESSAGES } from './messages';
import { RegionCodeInput } from './RegionCodeInput';
import { wordList } from './word-list';

/**
 * Posts a job of the enterprise (`postJob`): title, openings, where the work is (its own region
 * unless given) and the exporting regions it recruits from. Folded away until opened.
 */
export function PostJobForm({
  enterpriseId,
  enterpriseRegion,
  onPosted,
}: {
  enterpriseId: string;
  enterpriseRegion: string;
  onPosted(): void;
}) {
  const t = useT(ENTERPRISE_MESSAGES);
  const [title, setTitle] = useState('');
  const [openings, setOpenings] = useState('');
  const [region, setRegion] = useState('');
  const [from, setFrom] = useState('');
  const [skills, setSkills] = useState('');
  const [posted, setPosted] = useState<string | null>(null);
  const [posting, postJob] = useMutation(EnterprisePostJobDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPosted(null);
    const skillList = wordList(skills);
    const result = await postJob({
      enterpriseId,
      input: {
        title: title.trim(),
        openings: Number(openings),
        region: region.trim() || enterpriseRegion,
        from: wordList(from),
        ...(skillList.length ? { skills: skillList } : {}),
      },
      idempotencyKey: newIdempotencyKey('job'),
    });
    if (result.data?.postJob) {
      setPosted(result.data.postJob.title);
      setTitle('');
      setOpenings('');
      setFrom('');
      setSkills('');
      onPosted();
    }
  };

  return (
    <details className="enterprise-details">
      <summary>{t('postJobTitle')}</summary>
      <form className="enterprise-form" onSubmit={submit}>
        <label>
          {t('jobTitle')}
          <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          {t('jobOpenings')}
          <input
            required
            type="number"
            min={1}
            max={100000}
            step={1}
            value={openings}
            onChange={(e) => setOpenings(e.target.value)}
          />
        </label>
        <RegionCodeInput
          label={t('jobRegion')}
          placeholder={enterpriseRegion}
          value={region}
          onChange={(e) => setRegion(e.target.value)}
        />
        <label>
          {t('jobFrom')}
          <input required title={t('jobFromHint')} value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('jobSkills')}
          <input title={t('jobSkillsHint')} value={skills} onChange={(e) => setSkills(e.target.value)} />
        </label>
        <button type="submit" disabled={posting.fetching}>
          {t('postJob')}
        </button>
      </form>
      <GraphqlErrorAlert errors={[posting.error]} title={t('errorsTitle')} />
      {posted ? (
        <p role="status" className="enterprise-ok">
          {t('jobPosted', { title: posted })}
        </p>
      ) : null}
    </details>
  );
}
