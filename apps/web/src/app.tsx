import { ReactNode, useEffect, useRef } from 'react';
import { api } from './api';
import { type Lang, useI18n } from './i18n';
import type { MessageKey } from './messages';
import { AccountPage, PeoplePage } from './pages/account';
import { AcceptInvitationPage, SignInPage } from './pages/auth';
import { ApprovalsPage } from './pages/approvals';
import { AuditPage } from './pages/audit';
import { ContractorPage } from './pages/contractor';
import { ApiKeysPage, WebhooksPage } from './pages/gateways';
import { ContractorsPage, NewContractorPage } from './pages/contractors';
import { DocumentsPage, ResourcesPage } from './pages/catalogue';
import { DirectoryPage } from './pages/directory';
import { EstablishmentsPage } from './pages/establishments';
import { ChooseEstablishmentPage, EstablishmentSwitcher } from './pages/memberships';
import { HomePage } from './pages/home';
import { InterventionsPage, NewInterventionPage, ReportPage } from './pages/interventions';
import { ExportsPage, JournalPage } from './pages/journal';
import { AnomaliesPage } from './pages/anomalies';
import { InterventionPage } from './pages/intervention';
import { OnboardingPage } from './pages/onboarding';
import { DeparturesPage, IncidentsPage } from './pages/people';
import { PolicyPage } from './pages/policy';
import { ReviewPage, ReviewsPage } from './pages/reviews';
import { HOME_ROLES, HOSPITAL_READERS, MainMenu, TENANT } from './nav';
import { Link, match, navigate, useLocation, useScrollToHash } from './router';
import { CONTRACTOR_MANAGERS, useSession } from './session';
import { Me, Role } from './api';

interface Route {
  pattern: string;
  roles: Role[];
  render(params: Record<string, string>): ReactNode;
}


const ROUTES: Route[] = [
  { pattern: '/', roles: HOME_ROLES, render: () => <HomePage /> },
  { pattern: '/contractors', roles: ['dsi', 'rssi', 'referent', 'auditor'], render: () => <ContractorsPage /> },
  { pattern: '/contractors/new', roles: ['dsi'], render: () => <NewContractorPage /> },
  { pattern: '/contractors/:id', roles: TENANT, render: (p) => <ContractorPage id={p.id} /> },
  { pattern: '/approvals', roles: ['dsi'], render: () => <ApprovalsPage /> },
  { pattern: '/documents', roles: ['dsi'], render: () => <DocumentsPage /> },
  { pattern: '/resources', roles: ['dsi'], render: () => <ResourcesPage /> },
  { pattern: '/onboarding', roles: CONTRACTOR_MANAGERS, render: () => <OnboardingPage /> },
  { pattern: '/interventions', roles: TENANT, render: () => <InterventionsPage /> },
  { pattern: '/interventions/new', roles: ['dsi', ...CONTRACTOR_MANAGERS, 'staff'], render: () => <NewInterventionPage /> },
  { pattern: '/interventions/:id', roles: TENANT, render: (p) => <InterventionPage id={p.id} /> },
  { pattern: '/interventions/:id/report', roles: ['dsi', ...CONTRACTOR_MANAGERS, 'staff'], render: (p) => <ReportPage id={p.id} /> },
  { pattern: '/departures', roles: ['dsi', ...CONTRACTOR_MANAGERS], render: () => <DeparturesPage /> },
  { pattern: '/incidents', roles: TENANT, render: () => <IncidentsPage /> },
  { pattern: '/reviews', roles: ['dsi', 'rssi', 'auditor', 'referent', ...CONTRACTOR_MANAGERS], render: () => <ReviewsPage /> },
  { pattern: '/reviews/:id', roles: ['dsi', 'rssi', 'auditor', 'referent', ...CONTRACTOR_MANAGERS], render: (p) => <ReviewPage id={p.id} /> },
  { pattern: '/anomalies', roles: HOSPITAL_READERS, render: () => <AnomaliesPage /> },
  { pattern: '/journal', roles: HOSPITAL_READERS, render: () => <JournalPage /> },
  { pattern: '/exports', roles: ['dsi', 'rssi'], render: () => <ExportsPage /> },
  { pattern: '/audit', roles: [...HOSPITAL_READERS, 'platform_admin'], render: () => <AuditPage /> },
  { pattern: '/people', roles: HOSPITAL_READERS, render: () => <PeoplePage /> },
  { pattern: '/policy', roles: HOSPITAL_READERS, render: () => <PolicyPage /> },
  { pattern: '/api-keys', roles: ['dsi', 'rssi'], render: () => <ApiKeysPage /> },
  { pattern: '/webhooks', roles: ['dsi', 'rssi'], render: () => <WebhooksPage /> },
  { pattern: '/directory', roles: ['dsi'], render: () => <DirectoryPage /> },
  { pattern: '/establishments', roles: ['platform_admin'], render: () => <EstablishmentsPage /> },
  { pattern: '/account', roles: [...TENANT, 'platform_admin'], render: () => <AccountPage /> },
];

/** Where each person lands after signing in: their home page; an intervenant, their windows and reports; the operator, establishments. */
export function homeOf(me: Me): string {
  if (me.roles.some((r) => HOME_ROLES.includes(r))) return '/';
  return me.roles.includes('staff') ? '/interventions' : '/establishments';
}

export function App() {
  const { t } = useI18n();
  const { me, ready, choosing } = useSession();
  const { path } = useLocation();

  // Keyboard and screen-reader users land on the new page's heading after each navigation (not on the first load).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path, me]);

  useScrollToHash(path);

  if (!ready) return <p className="muted" role="status">{t('loading')}</p>;
  if (path === '/accept-invitation') return <Shell><AcceptInvitationPage /></Shell>;
  if (!me) {
    if (path !== '/login') history.replaceState(null, '', `/login${path !== '/' ? `?next=${encodeURIComponent(path)}` : ''}`);
    return <Shell><SignInPage /></Shell>;
  }
  // R-MEMB signed in with several establishments: one is chosen before anything else (then `next`, or the home page).
  if (choosing) return <Shell><ChooseEstablishmentPage /></Shell>;
  // The sign-in form replaced the address with /login without a navigation: read it from the window.
  if (window.location.pathname === '/login' || (path === '/' && homeOf(me) !== '/')) {
    const next = new URLSearchParams(window.location.search).get('next');
    return <Redirect to={next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(me)} />;
  }
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params && route.roles.some((r) => me.roles.includes(r))) return <Shell>{route.render(params)}</Shell>;
  }
  return <Shell><div className="card"><h1 tabIndex={-1}>{t('notFound.title')}</h1><p><Link to={homeOf(me)}>{t('notFound.home')}</Link></p></div></Shell>;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function Shell({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { me, signOut, choosing } = useSession();
  // R-L10N signed in, the console speaks the person's language, which the API's messages and the e-mails follow too.
  const locale = me?.locale;
  useEffect(() => { if (locale === 'fr' || locale === 'en') setLang(locale); }, [locale, setLang]);
  const choose = (next: Lang) => {
    setLang(next);
    if (me && next !== me.locale) void api.PUT('/v1/me/locale', { body: { locale: next } });
  };
  return (
    <>
      <a className="skip" href="#main">{t('nav.skip')}</a>
      <header className="top">
        <div className="brand">
          <Link to="/">Prestagate</Link>
          {me?.establishment && (
            <span className="establishment"><span className="sr-only">{t('nav.establishment')} : </span>{me.establishment}</span>
          )}
          {me && !choosing && <EstablishmentSwitcher onSwitched={(person) => navigate(homeOf(person))} />}
        </div>
        {me && !choosing && <MainMenu me={me} />}
        <div className="top-right">
          <div className="lang" role="group" aria-label={t('lang.label')}>
            <button type="button" aria-pressed={lang === 'fr'} onClick={() => choose('fr')} lang="fr">FR</button>
            <button type="button" aria-pressed={lang === 'en'} onClick={() => choose('en')} lang="en">EN</button>
          </div>
          {me && (
            <>
              <Link className="who" to="/account" title={t('nav.account')}>{me.firstName} {me.lastName} <span className="muted">({me.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')})</span></Link>
              <button type="button" onClick={() => void signOut()}>{t('nav.signOut')}</button>
            </>
          )}
        </div>
      </header>
      {/* R-MEMB keyed by membership: after a switch every page loads the other establishment's data afresh. */}
      <main id="main" key={me?.id}>{children}</main>
    </>
  );
}
