import { FocusEvent, KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { Me, Membership } from '../api';
import { FormStatus, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useSession } from '../session';
import { Badge, PageTitle } from '../ui';

/** An establishment as its button reads: its name (the operator's platform has none), then the person's roles there. */
function Establishment({ membership: m }: { membership: Membership }) {
  const { t } = useI18n();
  return (
    <>
      <span className="choice-name">{m.establishment ?? t('memb.platform')}</span>
      <span className="choice-roles">{t('memb.roles', { roles: m.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ') })}</span>
      {m.needsTotp && <span className="choice-roles">{t('memb.needsTotp')}</span>}
    </>
  );
}

/**
 * R-MEMB after signing in, a person who works for several establishments picks one: the current session's is kept as
 * it is, another is a switch (POST /v1/auth/switch, no TOTP again). The sign-in's redirection (`?next=`) follows.
 */
export function ChooseEstablishmentPage() {
  const { t } = useI18n();
  const { memberships, switchTo, chosen } = useSession();
  const form = useForm();
  const choose = (m: Membership) => void form.run(async () => {
    if (m.current) chosen();
    else await switchTo(m.id);
  });
  return (
    <div className="auth">
      <PageTitle>{t('memb.title')}</PageTitle>
      <div className="card narrow">
        <p>{t('memb.intro')}</p>
        <FormStatus form={form} />
        <ul className="choices">
          {memberships.map((m) => (
            <li key={m.id}>
              <button type="button" className="choice" disabled={form.busy} aria-current={m.current ? 'true' : undefined}
                onClick={() => choose(m)}>
                <Establishment membership={m} />
                {m.current && <Badge tone="info">{t('memb.current')}</Badge>}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/**
 * R-MEMB the header's switcher, for a person with several establishments: a disclosure button listing the other ones
 * (Escape closes it and gives the focus back, leaving it closes it). Switching replaces the session's tokens.
 */
export function EstablishmentSwitcher({ onSwitched }: { onSwitched: (me: Me) => void }) {
  const { t } = useI18n();
  const { memberships, switchTo } = useSession();
  const form = useForm();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const others = memberships.filter((m) => !m.current);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!(event.target as Element).closest?.('.switcher')) setOpen(false);
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, [open]);
  if (others.length === 0) return null;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    button.current?.focus();
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (open && !event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
  };
  const choose = (m: Membership) => void form.run(async () => {
    const me = await switchTo(m.id);
    setOpen(false);
    onSwitched(me);
  });
  return (
    <div className="switcher" onKeyDown={onKeyDown} onBlur={onBlur}>
      <button ref={button} type="button" aria-expanded={open} aria-controls="switcher-list"
        onClick={() => { form.clear(); setOpen(!open); }}>
        {t('memb.switch')}<span aria-hidden="true" className="caret">▾</span>
      </button>
      <div id="switcher-list" className="switcher-list" hidden={!open}>
        <FormStatus form={form} />
        <ul aria-label={t('memb.others')}>
          {others.map((m) => (
            <li key={m.id}>
              <button type="button" className="choice" disabled={form.busy} onClick={() => choose(m)}>
                <Establishment membership={m} />
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
