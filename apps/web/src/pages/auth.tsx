import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { api, ApiError, ok, Tokens } from '../api';
import { Field, formBody, FormStatus, Submit, useForm } from '../forms';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { passwordHint } from '../password-hint';
import { Loading, PageTitle, ProblemBox, useLoad } from '../ui';
import { SsoButton, SsoErrorNotice, SsoTicket, useSsoReturn } from './sso';

type Step =
  | { kind: 'password' }
  | { kind: 'verify'; mfaToken: string }
  | { kind: 'enroll'; mfaToken: string }
  | { kind: 'recovery'; tokens: Tokens };

/** R-ART28: password, then TOTP; the first sign-in enrols TOTP (QR code and secret) and shows the recovery codes once. */
export function SignInPage() {
  const { t } = useI18n();
  const { notice } = useSession();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  // R-ART28 after a TOTP reset the person comes from the e-mailed link: its token goes with the enrolment
  // and leaves the address bar (and so the browser's history) at once.
  const [enrolmentLink] = useState(() => new URLSearchParams(window.location.search).get('enrolment') ?? undefined);
  useEffect(() => {
    if (!enrolmentLink) return;
    const url = new URL(window.location.href);
    url.searchParams.delete('enrolment');
    history.replaceState(null, '', `${url.pathname}${url.search}`);
  }, [enrolmentLink]);
  // R-SSO back from the establishment's provider: a single-use ticket, or the code of a refusal.
  const [sso, clearSso] = useSsoReturn();
  return (
    <div className="auth">
      <PageTitle>{t('signin.title')}</PageTitle>
      {step.kind === 'password' && notice === 'expired' && <p className="alert alert-info" role="status">{t('signin.expired')}</p>}
      {step.kind === 'password' && notice === 'unavailable' && <p className="alert alert-error" role="alert">{t('error.unavailable')}</p>}
      {step.kind === 'password' && notice === 'signedOut' && <p className="alert alert-info" role="status">{t('signin.signedOut')}</p>}
      {step.kind === 'password' && enrolmentLink && <p className="alert alert-info" role="status">{t('signin.enrolmentLink')}</p>}
      {step.kind === 'password' && sso.error && <SsoErrorNotice code={sso.error} />}
      {step.kind === 'password' && sso.ticket && <SsoTicket ticket={sso.ticket} onTotp={setStep} onRestart={clearSso} />}
      {step.kind === 'password' && !sso.ticket && <><PasswordStep onNext={setStep} /><SsoButton /></>}
      {step.kind === 'verify' && <VerifyStep mfaToken={step.mfaToken} onRestart={() => setStep({ kind: 'password' })} />}
      {step.kind === 'enroll' && <EnrollStep mfaToken={step.mfaToken} enrolmentLink={enrolmentLink} onEnrolled={(tokens) => setStep({ kind: 'recovery', tokens })} />}
      {step.kind === 'recovery' && <RecoveryStep tokens={step.tokens} />}
    </div>
  );
}

function PasswordStep({ onNext }: { onNext: (step: Step) => void }) {
  const { t } = useI18n();
  const form = useForm();
  const { query } = useLocation();
  return (
    <form className="card narrow" onSubmit={form.onSubmit(async (values) => {
      const answer = await ok(api.POST('/v1/auth/login', { body: formBody(values) }));
      onNext({ kind: answer.next, mfaToken: answer.mfaToken });
    })} noValidate>
      <FormStatus form={form} />
      <Field form={form} name="email" label={t('field.email')} type="email" autoComplete="username" required defaultValue={query.get('email') ?? ''} autoFocus />
      <Field form={form} name="password" label={t('field.password')} type="password" autoComplete="current-password" required />
      <Submit form={form}>{t('signin.continue')}</Submit>
    </form>
  );
}

function VerifyStep({ mfaToken, onRestart }: { mfaToken: string; onRestart: () => void }) {
  const { t } = useI18n();
  const { start } = useSession();
  const form = useForm();
  const [recovery, setRecovery] = useState(false);
  return (
    <form className="card narrow" onSubmit={form.onSubmit(async (values) => {
      const tokens = await ok(api.POST('/v1/auth/mfa/verify', { body: formBody({ mfaToken, ...values }) }));
      await start(tokens);
    })} noValidate>
      <p>{recovery ? t('signin.recoveryPrompt') : t('signin.codePrompt')}</p>
      <FormStatus form={form} />
      {recovery
        ? <Field key="recovery" form={form} name="recoveryCode" label={t('field.recoveryCode')} autoComplete="off" required autoFocus />
        : <Field key="code" form={form} name="code" label={t('field.totpCode')} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required autoFocus />}
      <div className="row">
        <Submit form={form}>{t('signin.submit')}</Submit>
        <button type="button" className="link" onClick={() => { form.clear(); setRecovery(!recovery); }}>
          {recovery ? t('signin.useCode') : t('signin.useRecovery')}
        </button>
        <button type="button" className="link" onClick={onRestart}>{t('signin.restart')}</button>
      </div>
    </form>
  );
}

function EnrollStep({ mfaToken, enrolmentLink, onEnrolled }: { mfaToken: string; enrolmentLink?: string; onEnrolled: (tokens: Tokens) => void }) {
  const { t } = useI18n();
  const form = useForm();
  const [secret, setSecret] = useState<{ secret: string; otpauthUrl: string; qr: string } | null>(null);
  useEffect(() => {
    void form.run(async () => {
      const answer = await ok(api.POST('/v1/auth/mfa/enroll', { body: { mfaToken, enrolmentLink } }));
      // The QR code is drawn here, in the browser: the secret never goes to a third-party service.
      setSecret({ ...answer, qr: await QRCode.toDataURL(answer.otpauthUrl, { margin: 1, width: 220, errorCorrectionLevel: 'M' }) });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mfaToken]);
  // R-ART28 a reset second factor is enrolled again only from the link e-mailed to the person.
  const link = form.problem?.code === 'MFA_ENROLMENT_LINK_REQUIRED' ? 'required' : form.problem?.code === 'MFA_ENROLMENT_LINK_INVALID' ? 'invalid' : null;
  if (link) {
    return (
      <div className="card narrow">
        <h2>{t('enroll.title')}</h2>
        <p className="alert alert-error" role="alert">{t(link === 'required' ? 'enroll.linkRequired' : 'enroll.linkInvalid')}</p>
      </div>
    );
  }
  return (
    <form className="card narrow" onSubmit={form.onSubmit(async (values) => {
      onEnrolled(await ok(api.POST('/v1/auth/mfa/enroll/confirm', { body: formBody({ mfaToken, ...values }) })));
    })} noValidate>
      <h2>{t('enroll.title')}</h2>
      <p>{t('enroll.intro')}</p>
      {secret && (
        <div className="enroll">
          <img src={secret.qr} width={220} height={220} alt={t('enroll.qrAlt')} />
          <div>
            <p>{t('enroll.manual')}</p>
            <p><code className="secret" id="totp-secret" translate="no">{secret.secret}</code></p>
          </div>
        </div>
      )}
      <FormStatus form={form} />
      <Field form={form} name="code" label={t('field.totpCode')} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required />
      <Submit form={form}>{t('enroll.confirm')}</Submit>
    </form>
  );
}

function RecoveryStep({ tokens }: { tokens: Tokens }) {
  const { t } = useI18n();
  const { start } = useSession();
  const form = useForm();
  const [saved, setSaved] = useState(false);
  const codes = tokens.recoveryCodes ?? [];
  const downloadCodes = () => {
    const url = URL.createObjectURL(new Blob([`Prestagate\n\n${codes.join('\n')}\n`], { type: 'text/plain' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: 'prestagate-recovery-codes.txt' });
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="card narrow">
      <h2>{t('recovery.title')}</h2>
      <p className="alert alert-warn">{t('recovery.once')}</p>
      <ol className="codes" aria-label={t('recovery.title')}>{codes.map((c) => <li key={c}><code translate="no">{c}</code></li>)}</ol>
      <div className="row">
        <button type="button" onClick={downloadCodes}>{t('recovery.download')}</button>
      </div>
      <div className="field field-check">
        <input id="codes-saved" type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        <label htmlFor="codes-saved">{t('recovery.saved')}</label>
      </div>
      <FormStatus form={form} />
      <button type="button" className="primary" disabled={!saved || form.busy} onClick={() => void form.run(() => start(tokens))}>{t('recovery.continue')}</button>
    </div>
  );
}

/**
 * The link of the invitation e-mail: a newcomer chooses a password (tenant policy); R-MEMB someone who already has a
 * Prestagate account confirms with their usual password instead. Then they sign in.
 */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const details = useLoad(
    () => (token ? ok(api.GET('/v1/auth/invitations/details', { params: { query: { token } } })) : Promise.resolve(null)), [token]);
  const existing = details.data?.existingAccount === true;
  return (
    <div className="auth">
      <PageTitle>{t(existing ? 'memb.invite.title' : 'invite.title')}</PageTitle>
      {!token && <p className="alert alert-error" role="alert">{t('invite.noToken')}</p>}
      <ProblemBox problem={details.problem} />
      <Loading when={details.loading} />
      {details.data && (existing
        ? <ConfirmMembership token={token} establishment={details.data.establishment} />
        : <ChoosePassword token={token} establishment={details.data.establishment} />)}
    </div>
  );
}

const signInAs = (person: { email: string }) => navigate(`/login?email=${encodeURIComponent(person.email)}`);

function ChoosePassword({ token, establishment }: { token: string; establishment: string }) {
  const { t } = useI18n();
  const form = useForm();
  const rules = useLoad(() => ok(api.GET('/v1/auth/invitations/password-rules', { params: { query: { token } } })), [token]);
  return (
    <form className="card narrow" noValidate onSubmit={form.onSubmit(async (values) => {
      if (values.password !== values.confirm) throw new Error(t('invite.mismatch'));
      signInAs(await ok(api.POST('/v1/auth/invitations/accept', { body: formBody({ token, password: values.password }) })));
    })}>
      <p>{t('memb.invite.newcomer', { establishment })}</p>
      <FormStatus form={form} />
      <Field form={form} name="password" label={t('field.newPassword')} type="password" autoComplete="new-password" required
        hint={rules.data && passwordHint(rules.data, t)} />
      <Field form={form} name="confirm" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
      <Submit form={form}>{t('invite.submit')}</Submit>
      <p><Link to="/login">{t('invite.haveAccount')}</Link></p>
    </form>
  );
}

/** R-MEMB the invited person's current password, not a new one: a wrong one is said beside the field; the link stays usable. */
function ConfirmMembership({ token, establishment }: { token: string; establishment: string }) {
  const { t } = useI18n();
  const form = useForm();
  return (
    <form className="card narrow" noValidate onSubmit={form.onSubmit(async (values) => {
      try {
        signInAs(await ok(api.POST('/v1/auth/invitations/accept', { body: formBody({ token, password: values.password }) })));
      } catch (error) {
        if (!(error instanceof ApiError) || error.problem.code !== 'INVALID_CREDENTIALS') throw error;
        const message = t('memb.invite.wrongPassword');
        throw new ApiError({ ...error.problem, detail: t('memb.invite.refused'), errors: [{ field: 'password', message }] });
      }
    })}>
      <p>{t('memb.invite.existing', { establishment })}</p>
      <FormStatus form={form} />
      <Field form={form} name="password" label={t('memb.invite.password')} type="password" autoComplete="current-password"
        required autoFocus />
      <Submit form={form}>{t('memb.invite.submit', { establishment })}</Submit>
    </form>
  );
}
