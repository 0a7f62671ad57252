import { FocusEvent, KeyboardEvent, useEffect, useState } from 'react';
import type { Me, Role } from './api';
import { useI18n } from './i18n';
import type { MessageKey } from './messages';
import { Link, useLocation } from './router';
import { CONTRACTOR_MANAGERS } from './session';

interface NavItem { to: string; label: MessageKey; roles: Role[] }
interface NavGroup { id: string; label: MessageKey; items: NavItem[] }

export const HOSPITAL_READERS: Role[] = ['dsi', 'rssi', 'auditor'];
export const TENANT: Role[] = ['dsi', 'rssi', 'referent', 'auditor', ...CONTRACTOR_MANAGERS, 'staff'];
/** Who has a home page (`/`); an intervenant's work is their windows and reports. */
export const HOME_ROLES: Role[] = ['dsi', 'rssi', 'referent', 'auditor', ...CONTRACTOR_MANAGERS];

/** The menu, by role (GET /v1/me), in a few groups so that it holds on one line at 1,280 px. */
const NAV: (NavItem | NavGroup)[] = [
  { to: '/', label: 'nav.home', roles: HOME_ROLES },
  { to: '/establishments', label: 'nav.establishments', roles: ['platform_admin'] },
  { to: '/approvals', label: 'nav.approvals', roles: ['dsi'] },
  { id: 'contractors', label: 'nav.group.contractors', items: [
    { to: '/contractors', label: 'nav.contractors', roles: ['dsi', 'rssi', 'referent', 'auditor'] },
    { to: '/onboarding', label: 'nav.onboarding', roles: CONTRACTOR_MANAGERS },
    { to: '/documents', label: 'nav.documents', roles: ['dsi'] },
  ] },
  { id: 'access', label: 'nav.group.access', items: [
    { to: '/people', label: 'nav.people', roles: ['dsi'] },
    { to: '/departures', label: 'nav.departures', roles: CONTRACTOR_MANAGERS },
    { to: '/reviews', label: 'nav.reviews', roles: ['dsi', 'rssi', 'auditor', ...CONTRACTOR_MANAGERS] },
  ] },
  { id: 'interventions', label: 'nav.group.interventions', items: [
    { to: '/interventions', label: 'nav.interventions', roles: TENANT },
    { to: '/incidents', label: 'nav.incidents', roles: TENANT },
  ] },
  { id: 'control', label: 'nav.group.control', items: [
    { to: '/anomalies', label: 'nav.anomalies', roles: HOSPITAL_READERS },
    { to: '/journal', label: 'nav.journal', roles: HOSPITAL_READERS },
    { to: '/exports', label: 'nav.exports', roles: ['dsi', 'rssi'] },
    { to: '/audit', label: 'nav.audit', roles: [...HOSPITAL_READERS, 'platform_admin'] },
  ] },
  // The x-roles of GET /v1/tenant/policy, /v1/api-keys and /v1/webhooks: the DSI manages, the RSSI (and for the policy the auditor) read.
  { id: 'admin', label: 'nav.group.admin', items: [
    { to: '/resources', label: 'nav.resources', roles: ['dsi'] },
    { to: '/policy', label: 'nav.policy', roles: HOSPITAL_READERS },
    { to: '/api-keys', label: 'nav.apiKeys', roles: ['dsi', 'rssi'] },
    { to: '/webhooks', label: 'nav.webhooks', roles: ['dsi', 'rssi'] },
    { to: '/directory', label: 'nav.directory', roles: ['dsi'] },
  ] },
];

const isCurrent = (to: string, path: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));

/** What this person's menu holds: a group keeps only the items of their roles; a group of one item is that item. */
function menuOf(me: Me): (NavItem | NavGroup)[] {
  const mine = (item: NavItem) => item.roles.some((r) => me.roles.includes(r));
  return NAV.flatMap((entry): (NavItem | NavGroup)[] => {
    if (!('items' in entry)) return mine(entry) ? [entry] : [];
    const items = entry.items.filter(mine);
    return items.length > 1 ? [{ ...entry, items }] : items;
  });
}

/**
 * The main menu: links, and groups behind disclosure buttons (aria-expanded). One group is open at a time; Escape closes it
 * and gives the focus back to its button; leaving the group (focus or click elsewhere) or following a link closes it.
 */
export function MainMenu({ me }: { me: Me }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => setOpen(null), [path]);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!(event.target as Element).closest?.(`[data-group="${open}"]`)) setOpen(null);
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, [open]);
  const link = (item: NavItem) => (
    <Link to={item.to} aria-current={isCurrent(item.to, path) ? 'page' : undefined}>{t(item.label)}</Link>
  );
  const onKeyDown = (id: string) => (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.key !== 'Escape' || open !== id) return;
    setOpen(null);
    event.currentTarget.querySelector('button')?.focus();
  };
  const onBlur = (id: string) => (event: FocusEvent<HTMLLIElement>) => {
    if (open === id && !event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(null);
  };
  return (
    <nav aria-label={t('nav.label')}>
      <ul className="menu">
        {menuOf(me).map((entry) => ('items' in entry ? (
          <li key={entry.id} className="menu-group" data-group={entry.id} onKeyDown={onKeyDown(entry.id)} onBlur={onBlur(entry.id)}>
            <button type="button" aria-expanded={open === entry.id} aria-controls={`menu-${entry.id}`}
              className={entry.items.some((i) => isCurrent(i.to, path)) ? 'current' : undefined}
              onClick={() => setOpen(open === entry.id ? null : entry.id)}>
              {t(entry.label)}<span aria-hidden="true" className="caret">▾</span>
            </button>
            <ul id={`menu-${entry.id}`} className="submenu" hidden={open !== entry.id}>
              {entry.items.map((item) => <li key={item.to}>{link(item)}</li>)}
            </ul>
          </li>
        ) : <li key={entry.to}>{link(entry)}</li>))}
      </ul>
    </nav>
  );
}
