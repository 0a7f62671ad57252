import { useEffect, useRef, useState } from 'react';
import { api, ok } from '../api';
import type { components } from '../api/schema';
import { Field, FormStatus, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useSession } from '../session';
import { ProblemBox } from '../ui';

type Establishment = components['schemas']['SsoEstablishmentView'];
/** The TOTP step that follows a provider that did not ask a second factor (the password sign-in's own steps). */
export type TotpStep = { kind: 'verify' | 'enroll'; mfaToken: string };

/** R-SSO the proof the start gave, kept by this tab only: the ticket is good only with it (a ticket sent to another browser is not). */
const PROOF = 'prestagate.ssoProof';

const CODES = [
  'SSO_STATE_INVALID', 'SSO_PROVIDER_REFUSED', 'SSO_DISABLED', 'SSO_PROVIDER_UNREACHABLE', 'SSO_TOKEN_INVALID', 'SSO_EMAIL_UNVERIFIED',
  'SSO_DOMAIN_NOT_ALLOWED', 'SSO_UNKNOWN_PERSON', 'SSO_CONTRACTOR_NOT_ALLOWED', 'SSO_ACCOUNT_INACTIVE', 'SSO_ACCOUNT_LOCKED',
];

/** R-SSO what the provider's return carried (`?ticket=` or `?sso_error=`), read once and taken out of the address bar and history. */
export function useSsoReturn(): [{ ticket: string | null; error: string | null }, () => void] {
  const [sso, setSso] = useState(() => {
    const query = new URLSearchParams(window.location.search);
    return { ticket: query.get('ticket'), error: query.get('sso_error') };
  });
  useEffect(() => {
    if (!sso.ticket && !sso.error) return;
    const url = new URL(window.location.href);
    url.searchParams.delete('ticket');
    url.searchParams.delete('sso_error');
    history.replaceState(null, '', `${url.pathname}${url.search}`);
  }, [sso]);
  return [sso, () => setSso({ ticket: null, error: null })];
}

/** R-SSO a refusal after the provider, in the person's language (the callback sends only its code). */
export function SsoErrorNotice({ code }: { code: string }) {
  const { t } = useI18n();
  const key = (CODES.includes(code) ? `sso.error.${code}` : 'sso.error.other') as MessageKey;
  return <p className="alert alert-error" role="alert">{t(key)}</p>;
}

/** R-SSO "Se connecter avec le compte de l'établissement": asks the e-mail (it names the establishment), then goes to its provider. */
export function SsoButton() {
  const { t } = useI18n();
  const form = useForm();
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<{ email: string; establishments: Establishment[] } | null>(null);
  const go = async (email: string, tenantId?: string) => {
    const answer = await ok(api.POST('/v1/auth/sso/start', { body: { email, tenantId } }));
    if (answer.authorizationUrl && answer.browserProof) {
      sessionStorage.setItem(PROOF, answer.browserProof);
      window.location.assign(answer.authorizationUrl);
    }
    else setChoices({ email, establishments: answer.establishments });
  };
  if (!open) {
    return (
      <div className="card narrow sso">
        <p className="muted">{t('sso.or')}</p>
        <button type="button" onClick={() => setOpen(true)}>{t('sso.button')}</button>
      </div>
    );
  }
  return (
    <form className="card narrow sso" aria-label={t('sso.button')} noValidate
      onSubmit={form.onSubmit(async (values) => go(String(values.email ?? '')))}>
      <h2>{t('sso.button')}</h2>
      <p>{t('sso.emailPrompt')}</p>
      <FormStatus form={form} />
      <Field form={form} name="email" label={t('field.email')} type="email" autoComplete="username" required autoFocus />
      {choices ? (
        <fieldset>
          <legend>{t('sso.choose')}</legend>
          {choices.establishments.map((e) => (
            <button key={e.tenantId} type="button" disabled={form.busy} onClick={() => void form.run(() => go(choices.email, e.tenantId))}>
              {e.name}
            </button>
          ))}
        </fieldset>
      ) : <Submit form={form}>{t('sso.go')}</Submit>}
    </form>
  );
}

/** R-SSO the console's end of the callback: the ticket is exchanged once, for a session or for the TOTP step. */
export function SsoTicket({ ticket, onTotp, onRestart }: { ticket: string; onTotp: (step: TotpStep) => void; onRestart: () => void }) {
  const { t } = useI18n();
  const { start } = useSession();
  const form = useForm();
  const spent = useRef(false);
  useEffect(() => {
    if (spent.current) return; // single use: never sent twice, even when React runs an effect again
    spent.current = true;
    void form.run(async () => {
      const browserProof = sessionStorage.getItem(PROOF) ?? '';
      sessionStorage.removeItem(PROOF);
      const answer = await ok(api.POST('/v1/auth/sso/exchange', { body: { ticket, browserProof } }));
      if (answer.accessToken && answer.refreshToken) await start({ accessToken: answer.accessToken, refreshToken: answer.refreshToken });
      else if (answer.mfaToken && answer.next) onTotp({ kind: answer.next, mfaToken: answer.mfaToken });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ticket]);
  return (
    <div className="card narrow">
      {form.busy && <p role="status">{t('sso.exchanging')}</p>}
      <ProblemBox problem={form.problem} />
      {form.problem && <button type="button" className="link" onClick={onRestart}>{t('sso.again')}</button>}
    </div>
  );
}
