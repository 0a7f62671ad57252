import { isValidSiret } from './siret';

describe('R-ART3 SIRET validation (Luhn)', () => {
  it.each(['73282932000074', '552 100 554 00021', '35600000000010'])('accepts %s', (s) => {
    expect(isValidSiret(s)).toBe(true);
  });

  it.each(['73282932000075', '1234567890123', 'ABCDEFGHIJKLMN', '35600000000011'])('refuses %s', (s) => {
    expect(isValidSiret(s)).toBe(false);
  });
});
