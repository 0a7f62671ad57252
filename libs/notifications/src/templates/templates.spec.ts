import { renderMail } from './templates';

describe('R-NOT e-mail templates', () => {
  const data = { firstName: 'Alice', tenantName: 'CH du Mans', link: 'https://x/accept?t=1', expiresAt: '2026-12-01' };

  it('renders French by default and English on request', () => {
    expect(renderMail('invitation', 'fr', data).subject).toBe('Invitation à CH du Mans');
    expect(renderMail('invitation', 'en', data).subject).toBe('Invitation to CH du Mans');
    expect(renderMail('invitation', 'fr', data).text).toContain('https://x/accept?t=1');
  });

  it('falls back to French for an unknown locale', () => {
    expect(renderMail('invitation', 'de' as 'fr', data).subject).toBe('Invitation à CH du Mans');
  });
});
