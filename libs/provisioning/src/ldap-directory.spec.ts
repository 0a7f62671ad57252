import { escapeRdn, normalDn, sameDn } from './ldap-directory';
import { sameWanted, uidOf } from './wanted-state';

const facts = (email: string) => ({
  accountId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', contractorId: 'c', status: 'active', email, firstName: 'Marie', lastName: 'Dupont',
  resourceIds: [],
});

describe('R-PROV directory names', () => {
  it('escapes what a DN value may not hold (RFC 4514)', () => {
    expect(escapeRdn('Dupont, Marie')).toBe('Dupont\\, Marie');
    expect(escapeRdn(' a+b=c#')).toBe('\\ a\\+b\\=c\\#');
  });

  it('compares DNs as a directory does: case and spaces after commas ignored', () => {
    expect(sameDn('CN=PACS, OU=Groups,DC=hopital', 'cn=pacs,ou=groups,dc=hopital')).toBe(true);
    expect(normalDn(' uid=a ,  dc=x ')).toBe('uid=a,dc=x');
  });

  it('gives each account a stable login: the e-mail\'s local part and four characters of its id', () => {
    expect(uidOf(facts('Marie.Dupont@imagerie.fr'))).toBe('marie.dupont-3fa8');
    expect(uidOf(facts('"très spécial"@x.fr'))).toBe('tresspecial-3fa8');
  });

  it('compares wanted states whatever the order or the case of the groups', () => {
    const groups = ['cn=a,dc=x', 'cn=b,dc=x'];
    expect(sameWanted({ enabled: true, groups: ['cn=B,dc=x', 'cn=a,dc=x'] }, { enabled: true, groups })).toBe(true);
    expect(sameWanted({ enabled: true, groups: [] }, { enabled: false, groups: [] })).toBe(false);
  });
});
