import { api, at, ok } from '../api';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { PagedTable } from '../table';
import { Badge, PageTitle, ProblemBox, Section, useLoad, usePaged } from '../ui';
import { useConnectionColumns } from './journal';

/**
 * One intervention: its window, and for the hospital side the sessions the journal linked to it with their recording references
 * (R-ART41, Art. 44), so that an auditor goes from a report to what actually happened.
 */
export function InterventionPage({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const { has } = useSession();
  const hospital = has('dsi', 'rssi', 'referent', 'auditor');
  const intervention = useLoad(() => ok(api.GET('/v1/interventions/{id}', at(id))), [id]);
  const i = intervention.data;
  const company = useLoad(() => (i && hospital ? ok(api.GET('/v1/contractors/{id}', at(i.contractorId))) : Promise.resolve(undefined)), [i?.contractorId, hospital]);
  return (
    <>
      <PageTitle>{t('intervention.title')}</PageTitle>
      <ProblemBox problem={intervention.problem} />
      {i && (
        <div className="card summary">
          <dl className="facts">
            {company.data && <><dt>{t('field.contractor')}</dt><dd><Link to={`/contractors/${i.contractorId}`}>{company.data.legalName}</Link></dd></>}
            <dt>{t('interventions.window')}</dt><dd>{dateTime(i.startsAt)} → {dateTime(i.endsAt)}</dd>
            <dt>{t('field.nature')}</dt><dd>{i.nature}</dd>
            <dt>{t('field.status')}</dt><dd><Badge>{t(`wstatus.${i.status}`)}</Badge></dd>
          </dl>
          {(i.reportFiledAt || !hospital) && <Link to={`/interventions/${id}/report`}>{t('intervention.report')}</Link>}
        </div>
      )}
      {hospital && <Sessions id={id} />}
    </>
  );
}

function Sessions({ id }: { id: string }) {
  const { t } = useI18n();
  const paged = usePaged((cursor, limit) => api.GET('/v1/interventions/{id}/connections', { params: { path: { id }, query: { cursor, limit } } }), [id]);
  return (
    <Section id="sessions" title={t('intervention.sessions')}>
      <PagedTable paged={paged} empty={t('intervention.noSession')} columns={useConnectionColumns(false)} />
    </Section>
  );
}
