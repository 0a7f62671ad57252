import { api, HomeTask, Me, ok, Role } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link } from '../router';
import { CONTRACTOR_MANAGERS, useSession } from '../session';
import { Badge, Empty, Loading, PageTitle, ProblemBox, Section, useLoad } from '../ui';
import { OnboardingPage } from './onboarding';

/** The console page where each task is done, for this person (a referent decides windows from the interventions). */
export function taskPath(task: HomeTask, me: Me): string {
  const dsi = me.roles.includes('dsi');
  switch (task.key) {
    case 'signatures': return '/approvals#q-signatures';
    case 'accounts': return '/approvals#q-accounts';
    case 'habilitations': return '/approvals#q-habilitations';
    case 'windows': return dsi ? '/approvals#q-interventions' : '/interventions#pending';
    case 'emergencies': return '/approvals#q-interventions';
    case 'gatesClosing': return '/contractors';
    case 'overdueReports': return '/interventions#overdue';
    case 'reviews': return '/reviews';
    case 'anomalies': return '/anomalies?status=open';
    case 'suspendedAccounts': return '/contractors';
    case 'gate': return '/onboarding';
    case 'attestations': return me.contractorId ? `/contractors/${me.contractorId}#prestations` : '/contractors';
  }
}

/** Shortcuts of roles whose work is mostly reading (the auditor's trail, the referent's windows). */
const SHORTCUTS: { to: string; label: MessageKey; roles: Role[] }[] = [
  { to: '/audit', label: 'nav.audit', roles: ['auditor'] },
  { to: '/interventions', label: 'nav.interventions', roles: ['referent'] },
];

function Tasks({ tasks, me }: { tasks: HomeTask[]; me: Me }) {
  const { t } = useI18n();
  const shortcuts = SHORTCUTS.filter((s) => s.roles.some((r) => me.roles.includes(r)));
  return (
    <>
      <Section id="tasks" title={t('home.tasks')}>
        {tasks.every((task) => task.count === 0) && <Empty>{t('home.allDone')}</Empty>}
        <ul className="tasks">
          {tasks.map((task) => (
            <li key={task.key} data-rule={task.rule}>
              <Link to={taskPath(task, me)}>{t(`home.task.${task.key}` as MessageKey, { days: task.days ?? 0 })}</Link>
              {task.count > 0 ? <Badge tone="warn">{task.count}</Badge> : <span className="muted">{t('home.nothing')}</span>}
            </li>
          ))}
        </ul>
      </Section>
      {shortcuts.length > 0 && (
        <Section id="shortcuts" title={t('home.shortcuts')}>
          <ul className="tasks">{shortcuts.map((s) => <li key={s.to}><Link to={s.to}>{t(s.label)}</Link></li>)}</ul>
        </Section>
      )}
    </>
  );
}

/**
 * `/`: what waits for the signed-in person (GET /v1/home), each task a link to the page where it is done. A contractor's
 * contact sees their company's tasks above the onboarding checklist.
 */
export function HomePage() {
  const { t } = useI18n();
  const { me, has } = useSession();
  const home = useLoad(() => ok(api.GET('/v1/home')), []);
  if (!me) return null;
  const tasks = (
    <>
      <ProblemBox problem={home.problem} />
      <Loading when={home.loading && !home.data} />
      {home.data && <Tasks tasks={home.data.tasks} me={me} />}
    </>
  );
  if (has(...CONTRACTOR_MANAGERS) && me.contractorId) return <OnboardingPage>{tasks}</OnboardingPage>;
  return (
    <>
      <PageTitle>{t('home.title')}</PageTitle>
      {home.data && <p className="muted">{t('home.intro', { name: home.data.establishment })}</p>}
      {tasks}
    </>
  );
}
