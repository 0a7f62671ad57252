/** A small but real PDF (one empty page), different for each `label` so hashes differ. */
export function pdf(label = 'document'): Buffer {
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj',
    `% ${label}`,
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n');
  return Buffer.from(body, 'latin1');
}

/** SIRETs with a valid Luhn checksum, for test companies. */
export const VALID_SIRETS = ['73282932000074', '55210055400021', '44321109800019', '80103001200018'];

let siretCounter = 0;
/** A fresh valid SIRET at each call (Luhn check digit computed). */
export function nextSiret(): string {
  const base = `9${String(Date.now() % 1e6).padStart(6, '0')}${String(siretCounter++ % 1e6).padStart(6, '0')}`;
  for (let check = 0; check < 10; check++) {
    const candidate = base + check;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let d = Number(candidate[13 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable: one check digit always fits');
}

export function contactsPayload(prefix: string) {
  const person = (role: string, first: string, last: string) => ({
    firstName: first, lastName: last, phone: '+33 2 43 00 00 00', email: `${role}.${prefix}@contractor.test`,
  });
  return {
    legalRepresentative: { ...person('legal', 'Claire', 'Martin'), function: 'Présidente' },
    securityContact: person('security', 'Hugo', 'Bernard'),
    securityDeputy: person('deputy', 'Inès', 'Petit'),
  };
}

/** R-ART34: the body of a review's submission, the statement the security contact ticked. */
export const REVIEW_STATEMENT = { statement: 'J’atteste que cette liste est exacte et complète à ce jour.' };
