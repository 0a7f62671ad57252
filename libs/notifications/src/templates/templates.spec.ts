import { CONSOLE_PATHS } from './links';
import { renderMail } from './templates';

describe('R-NOT e-mail templates', () => {
  const data = { firstName: 'Alice', tenantName: 'CH du Mans', link: 'https://x/accept?t=1', expiresAt: '2026-12-12T21:25:44.615Z' };

  it('renders French by default and English on request', () => {
    expect(renderMail('invitation', 'fr', data).subject).toBe('Invitation à CH du Mans');
    expect(renderMail('invitation', 'en', data).subject).toBe('Invitation to CH du Mans');
    expect(renderMail('invitation', 'fr', data).text).toContain('https://x/accept?t=1');
  });

  it('R-MEMB someone who already has an account confirms with their usual password: no new password, no new TOTP', () => {
    const fr = renderMail('invitation', 'fr', { ...data, existingAccount: true }).text;
    expect(fr).toContain('Vous avez déjà un compte Prestagate');
    expect(fr).toContain('confirmez avec votre mot de passe habituel');
    expect(fr).not.toContain('Choisissez votre mot de passe');
    expect(renderMail('invitation', 'en', { ...data, existingAccount: true }).text).toContain('confirm with your usual password');
    expect(renderMail('invitation', 'fr', data).text).toContain('Choisissez votre mot de passe');
  });

  it('falls back to French for an unknown locale', () => {
    expect(renderMail('invitation', 'de' as 'fr', data).subject).toBe('Invitation à CH du Mans');
  });

  it('R-L10N R-ART28 the invitation names the establishment and role, its expiry in the establishment\'s zone; other instants too', () => {
    const invited = { ...data, roles: ['security_contact'], timeZone: 'Europe/Paris' };
    const fr = renderMail('invitation', 'fr', invited).text;
    expect(fr).toContain('CH du Mans vous a ouvert un compte nominatif sur Prestagate (rôle : correspondant sécurité)');
    expect(fr).toContain('valable jusqu\'au 12 décembre 2026 à 22:25');
    expect(fr).not.toContain('2026-12-12T');
    const en = renderMail('invitation', 'en', { ...invited, timeZone: 'America/New_York' }).text;
    expect(en).toContain('(role: security contact)');
    expect(en).toContain('valid until 12 December 2026 at 16:25');
    const at = '2026-07-01T08:05:00.000Z';
    const changed = renderMail('password-changed', 'fr', { firstName: 'Alice', at, timeZone: 'Europe/Paris' }).text;
    expect(changed).toContain('Votre mot de passe a été modifié le 1 juillet 2026 à 10:05.');
  });

  it('R-NOT an e-mail ends with the console page where its act is done; the digest links each section', () => {
    const overdue = { contractor: 'Medisoft', reviewId: 'r1', dueOn: '2026-12-01', undecided: 2, daysLeft: 0 };
    const mail = renderMail('review-overdue', 'fr', overdue, 'https://p.test/');
    expect(mail.text.trimEnd().split('\n').pop()).toBe('Pour agir, ouvrez Prestagate : https://p.test/reviews/r1');
    expect(renderMail('anomalies-detected', 'en', { count: 0, more: 0, timeZone: 'UTC', items: [] }, 'https://p.test').text)
      .toContain('To act, open Prestagate: https://p.test/anomalies');
    expect(renderMail('invitation', 'fr', data, 'https://p.test').text).not.toContain('ouvrez Prestagate');
    expect(Object.keys(CONSOLE_PATHS).length).toBeGreaterThan(20);
  });
});
