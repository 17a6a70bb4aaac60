import { useId, type InputHTMLAttributes } from 'react';
import { useQuery } from 'urql';
import { EnterpriseRegionNameDocument } from '../../generated/graphql';
import { useT } from '../../i18n/language';
import { ENTERPRISE_MESSAGES } from './messages';

const REGION_CODE = /^\d{6}(\d{3})?$/;

type RegionCodeInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value'> & {
  label: string;
  value: string;
};

/**
 * A labelled GB/T 2260 region code input that names the region typed (`region(code).fullName`
 * from the national directory), so a wrong code shows before the request is filed.
 */
export function RegionCodeInput({ label, value, ...input }: RegionCodeInputProps) {
  const t = useT(ENTERPRISE_MESSAGES);
  const hintId = useId();
  const code = value.trim();
  const complete = REGION_CODE.test(code);
  const [region] = useQuery({
    query: EnterpriseRegionNameDocument,
    variables: { code },
    pause: !complete,
  });
  let hint = '';
  if (complete && region.data && region.data.region?.code === code) hint = region.data.region.fullName;
  else if (complete && region.data && !region.data.region) hint = t('unknownRegion');
  return (
    <label>
      {label}
      <input
        pattern="\d{6}"
        inputMode="numeric"
        title={t('regionHint')}
        aria-describedby={hintId}
        value={value}
        {...input}
      />
      <span id={hintId} className="enterprise-muted enterprise-hint" aria-live="polite">
        {hint}
      </span>
    </label>
  );
}
