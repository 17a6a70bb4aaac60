import { useState } from 'react';
import { useClient } from 'urql';
import type { ImportReport } from '@p2p/schema/registry-import';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { saveFile } from '../../downloads/save-file';
import { WORKLIST_MESSAGES } from './messages';
import type { ImportProgress } from './run-import';

/**
 * The registry import: a CSV or XLSX file through the same rules as `npm run import-workers`,
 * with a progress bar, the outcome, and the refused rows (line, code, reason) as a table and a
 * CSV download. Nothing personal is shown or kept: rows are named by their line.
 */
export function ImportPanel({ onImported }: { onImported(): void }) {
  const t = useT(WORKLIST_MESSAGES);
  const client = useClient();
  const { caller } = useSignedIn();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const start = async () => {
    if (!file) return;
    setRunning(true);
    setReport(null);
    setFailure(null);
    setProgress(null);
    try {
      const { runRegistryImport } = await import('./run-import');
      setReport(
        await runRegistryImport(
          file,
          client,
          { role: caller.role, ...(caller.region ? { region: caller.region } : {}) },
          setProgress,
        ),
      );
      onImported();
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  const downloadRejects = async () => {
    if (!report) return;
    const { rejectsCsv } = await import('@p2p/schema/registry-import');
    saveFile(
      rejectsCsv(report),
      `rejects-${file?.name.replace(/\.(csv|xlsx)$/i, '') ?? 'registry'}.csv`,
      'text/csv;charset=utf-8',
    );
  };

  return (
    <section aria-labelledby="import-title" className="worklist-panel">
      <h2 id="import-title">{t('importTitle')}</h2>
      <p className="worklist-hint">{t('importHint')}</p>
      <div className="worklist-row">
        <label>
          {t('importFile')}
          <input
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <button type="button" onClick={start} disabled={!file || running}>
          {running ? t('importRunning') : t('importStart')}
        </button>
      </div>
      {progress ? (
        <div className="worklist-progress">
          <label htmlFor="import-progress">{t('importProgress')}</label>
          <progress id="import-progress" max={Math.max(progress.rows, 1)} value={progress.done} />
          <span data-testid="import-progress-text">
            {t('importProgressText', { done: progress.done, rows: progress.rows })}
          </span>
        </div>
      ) : null}
      {failure ? (
        <p role="alert">
          {t('importFailed')}: {failure}
        </p>
      ) : null}
      {report ? (
        <>
          <dl className="worklist-summary" data-testid="import-summary">
            <div>
              <dt>{t('importRows')}</dt>
              <dd data-testid="import-rows">{report.rows}</dd>
            </div>
            <div>
              <dt>{t('importRegistered')}</dt>
              <dd data-testid="import-registered">{report.registered}</dd>
            </div>
            <div>
              <dt>{t('importRejected')}</dt>
              <dd data-testid="import-rejected">{report.rejected.length}</dd>
            </div>
            <div>
              <dt>{t('importCalls')}</dt>
              <dd>{report.calls}</dd>
            </div>
          </dl>
          {report.rejected.length > 0 ? (
            <>
              <div className="worklist-row">
                <h3>{t('rejectsTitle')}</h3>
                <button type="button" onClick={downloadRejects}>
                  {t('rejectsDownload')}
                </button>
              </div>
              <table className="worklist-table" data-testid="rejects">
                <caption className="visually-hidden">{t('rejectsTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('rejectLine')}</th>
                    <th scope="col">{t('rejectCode')}</th>
                    <th scope="col">{t('rejectReason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((r) => (
                    <tr key={`${r.line}-${r.code}`}>
                      <td>{r.line}</td>
                      <td>
                        <code>{r.code}</code>
                      </td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
