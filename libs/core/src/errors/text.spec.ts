import { interpolate, pickLang, placeholders, renderText } from './text';
import { NotFoundError, statusWord } from './domain-error';
import './validation';

describe('R-L10N texts in the reader\'s language', () => {
  it('R-L10N the person\'s locale wins, then the best Accept-Language the API speaks, else French', () => {
    expect(pickLang('en', 'fr')).toBe('en');
    expect(pickLang(undefined, undefined)).toBe('fr');
    expect(pickLang(null, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLang(undefined, 'de-DE, en;q=0.4, fr;q=0.7')).toBe('fr');
    expect(pickLang(undefined, 'en;q=0, fr;q=0.1')).toBe('fr');
    expect(pickLang(undefined, 'de, *;q=0.5')).toBe('fr');
    expect(pickLang(undefined, ['en-GB'])).toBe('en');
  });

  it('R-L10N parameters are written as given, or in the reader\'s language; counts take their word\'s plural', () => {
    const params = { person: 'Jean Dupont', status: statusWord('deactivated'), count: 2 };
    expect(interpolate('le compte de {person} est {status} ({count#ligne|lignes})', params, 'fr'))
      .toBe('Le compte de Jean Dupont est désactivé (2 lignes)');
    expect(interpolate('{count#item has|items have} no decision', { count: 1 }, 'en')).toBe('1 item has no decision');
    expect(interpolate('{count#item|items}, {count#ligne|lignes}', { count: 0 }, 'en')).toBe('0 items, 0 lignes');
    expect(interpolate('{count#ligne|lignes}', { count: 0 }, 'fr')).toBe('0 ligne');
    expect(placeholders('{b} and {a#x|y}')).toEqual(['a', 'b']);
    expect(statusWord('unheard-of')).toBe('unheard-of');
  });

  it('R-L10N an error names the thing it did not find, in both languages, its message staying English for the logs', () => {
    const error = new NotFoundError('Contractor');
    expect(error.message).toBe('This contractor was not found');
    expect(renderText(error.text!, 'fr')).toBe('Ce prestataire est introuvable.');
  });

  it('R-L10N a class-validator rule reads with the field\'s label', () => {
    const label = { fr: 'le libellé de version', en: 'the version label' };
    const text = { catalogue: 'validation', key: 'isLengthMin', params: { label, min: 1 } };
    expect(renderText(text, 'fr')).toBe('Le libellé de version doit contenir au moins 1 caractère.');
    expect(renderText(text, 'en')).toBe('The version label must be at least 1 character long');
  });
});
