import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { EnterpriseFileReturnRequestDocument } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { newIdempotencyKey } from '../../graphql/idempotency-key';
import type { JobPost } from './LaborDemand';
import { ENTERPRISE_MESSAGES } from './messages';
import { RegionCodeInput } from './RegionCodeInput';
import type { RequestRow } from './use-return-requests';

interface FileRequestFormProps {
  enterpriseId: string;
  /** The enterprise's job posts, to name the one the worker was recruited through. */
  posts: readonly JobPost[];
  onFiled(row: RequestRow): void;
}

const EMPTY_FORM = {
  name: '',
  idNumber: '',
  phone: '',
  homeRegion: '',
  departureRegion: '',
  plannedReturnDate: '',
  jobId: '',
};

/**
 * Files a return request for one worker (`fileReturnRequest`): who he is as the enterprise knows
 * him, where he leaves from (his home region unless given), when he should be back and, when
 * recruited through one, the job post. The hub checks everything; its refusal is shown with its code.
 */
export function FileRequestForm({ enterpriseId, posts, onFiled }: FileRequestFormProps) {
  const t = useT(ENTERPRISE_MESSAGES);
  const [form, setForm] = useState(EMPTY_FORM);
  const [filedName, setFiledName] = useState<string | null>(null);
  const [filing, fileReturnRequest] = useMutation(EnterpriseFileReturnRequestDocument);
  const field = (name: keyof typeof EMPTY_FORM) => ({
    name,
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFiledName(null);
    const homeRegion = form.homeRegion.trim();
    const result = await fileReturnRequest({
      input: {
        enterpriseId,
        worker: {
          name: form.name.trim(),
          idNumber: form.idNumber.trim().toUpperCase(),
          phone: form.phone.trim(),
          homeRegion,
        },
        departureRegion: form.departureRegion.trim() || homeRegion,
        plannedReturnDate: form.plannedReturnDate,
        ...(form.jobId ? { jobId: form.jobId } : {}),
      },
      idempotencyKey: newIdempotencyKey('return-request'),
    });
    const filed = result.data?.fileReturnRequest;
    if (filed) {
      onFiled(filed);
      setFiledName(filed.filedWorker.name);
      setForm(EMPTY_FORM);
    }
  };

  return (
    <section className="enterprise-panel" aria-labelledby="file-title">
      <h3 id="file-title">{t('fileTitle')}</h3>
      <form className="enterprise-form" onSubmit={submit}>
        <label>
          {t('workerName')}
          <input required maxLength={50} autoComplete="off" {...field('name')} />
        </label>
        <label>
          {t('idNumber')}
          <input
            required
            pattern="\d{17}[\dXx]"
            title={t('idNumberHint')}
            autoComplete="off"
            {...field('idNumber')}
          />
        </label>
        <label>
          {t('phone')}
          <input
            required
            type="tel"
            pattern="1\d{10}"
            title={t('phoneHint')}
            autoComplete="off"
            {...field('phone')}
          />
        </label>
        <RegionCodeInput label={t('homeRegion')} required {...field('homeRegion')} />
        <RegionCodeInput
          label={t('departureRegion')}
          placeholder={t('departureSameAsHome')}
          {...field('departureRegion')}
        />
        <label>
          {t('plannedReturnDate')}
          <input required type="date" {...field('plannedReturnDate')} />
        </label>
        <label>
          {t('jobPost')}
          <select {...field('jobId')}>
            <option value="">{t('noJobPost')}</option>
            {posts.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={filing.fetching}>
          {t('fileSubmit')}
        </button>
      </form>
      <GraphqlErrorAlert errors={[filing.error]} title={t('errorsTitle')} />
      {filedName ? (
        <p role="status" className="enterprise-ok">
          {t('filed', { name: filedName })}
        </p>
      ) : null}
    </section>
  );
}
