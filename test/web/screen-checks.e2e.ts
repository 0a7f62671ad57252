import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './console-harness';
import { englishIn, expectFrench } from './english';
import { checkA11y } from './screen-checks';

/** The checks every browser story runs on its screens (issue 16), tried on small pages: no API needed. */
describe('Screen checks: the English scan (R-L10N) and axe-core (accessibility)', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  }, 60_000);
  afterAll(() => browser?.close());

  const show = (body: string, lang = 'fr') => page.setContent(
    `<!doctype html><html lang="${lang}"><head><title>Prestagate</title></head><body><main><h1>Page</h1>${body}</main></body></html>`,
  );
  const failure = async (check: Promise<void>) => check.then(() => '', (error: Error) => error.message);

  it('R-L10N the API\'s developer English fails, and identifiers shown as text (field names, codes), each fragment named with its words and where it is', () => {
    const found = englishIn([
      { text: 'The SIRET is not valid', where: 'p.field-error' },
      { text: 'versionLabel must be longer than or equal to 1 characters', where: 'p.field-error' },
      { text: 'E-mail or password is not correct', where: 'div.alert' },
      { text: 'Le SIRET n’est pas valide (clé de Luhn).', where: 'p' },
      { text: 'securityDeputy : doit être une autre personne', where: 'li' },
      { text: 'user.mfa_enrolled', where: 'td > code' },
      { text: 'SIGNER_NOT_LEGAL_REPRESENTATIVE', where: 'p' },
    ]);
    expect(found.map((f) => f.words)).toEqual([
      ['the', 'is', 'not', 'valid'], ['must', 'be', 'longer', 'than', 'equal', 'to', 'characters', 'versionLabel'], ['password', 'is', 'not'],
      ['securityDeputy'], ['user', 'mfa_enrolled'], ['not', 'SIGNER_NOT_LEGAL_REPRESENTATIVE'],
    ]);
  });

  it('R-L10N French texts pass, French homographs and technical names included; seeded values are allowed', () => {
    const french = [
      'Le formulaire contient 2 erreurs', 'Une erreur est survenue.', 'Accès ouvert', 'Report de la fenêtre', 'Il a signé le 2 mars',
      'On vous a envoyé un e-mail', 'Clé d’API (X-Api-Key), export CSV, JSON ou HTML, empreinte SHA-256', 'Code TOTP à 6 chiffres',
      'Écrire à jean.the.best@example.com ou https://example.com/show/more', 'Fichier de la file d’attente : statut active, somme due',
    ];
    expect(englishIn(french.map((text) => ({ text, where: 'p' })))).toEqual([]);
    expect(englishIn([{ text: 'The Open Company SAS', where: 'td' }]).length).toBe(1);
    expect(englishIn([{ text: 'The Open Company SAS', where: 'td' }], ['The Open Company SAS'])).toEqual([]);
  });

  it('R-L10N a page: visible texts and what is read to people (placeholder, aria-label, title, alt, button values) are scanned, hidden ones and identifiers (translate="no") not', async () => {
    await show(`<p>Bonjour</p><form><label for="q">Recherche</label><input id="q" placeholder="Search by name">
      <button aria-label="Close">×</button><img src="data:," alt="Company logo"><input type="submit" value="Submit">
      <select aria-label="Langue"><option>Français</option><option>Loading</option></select></form>
      <p hidden>Error: not found</p><p style="display:none">Please wait</p><template><p>Sign in</p></template>`);
    const message = await failure(expectFrench(page));
    expect(message).toContain('R-L10N: 5 English text(s) on a French screen');
    const fragments = ['"Close" (close)', '"Company logo" (company)', '"Submit" (submit)', '"Loading" (loading)'];
    for (const line of ['"Search by name" (search, by) in main > form > input#q [placeholder]', ...fragments]) {
      expect(message).toContain(line);
    }
    expect(message).not.toMatch(/not found|Please|Sign in/);
    await show(`<p>Bonjour</p><form><label for="q">Recherche</label><input id="q" placeholder="Nom ou SIRET">
      <input type="submit" value="Envoyer"></form>
      <p>Compte suspendu (<code translate="no">account.suspended</code>)</p>`);
    await expectFrench(page);
    await show('<p>Compte de <b>John Keep</b></p>');
    await expectFrench(page, ['John Keep']);
  });

  it('axe-core fails on serious and critical violations, naming the rule, its impact, the node and the help', async () => {
    await show(`<form><input id="nameless"><button></button></form><p style="color:#bbb;background:#fff">Texte pâle</p>
      <h3>Titre</h3>`);
    const message = await failure(checkA11y(page));
    expect(message).toMatch(/^Accessibility: 3 serious or critical axe-core violation\(s\):/);
    expect(message).toContain('- label (critical): Form elements must have labels');
    expect(message).toContain('at #nameless');
    expect(message).toContain('- button-name (critical)');
    expect(message).toContain('- color-contrast (serious)');
    expect(message).not.toContain('heading-order'); // moderate: reported by axe, not failing
    // A false positive is skipped for its node only, with the reason.
    const rest = await failure(checkA11y(page, [{ rule: 'color-contrast', target: 'p', why: 'a test of the exception' }]));
    expect(rest).toMatch(/^Accessibility: 2 /);
    await show('<form><label for="n">Nom</label><input id="n"><button>Envoyer</button></form><p>Texte lisible</p>');
    await checkA11y(page);
  });
});
