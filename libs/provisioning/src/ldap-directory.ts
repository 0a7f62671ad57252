import { isIP } from 'node:net';
import { Attribute, Change, Client, ResultCodeError } from 'ldapts';
import type { DisableMode } from './types';

/** What a session needs to reach the directory (the secret already decrypted). */
export interface LdapTarget {
  url: string;
  bindDn: string;
  bindSecret: string;
  baseDn: string;
  disableMode: DisableMode;
  lockAttribute: string;
  caCertificate: string | null;
}

/** The nominative attributes of an entry (R-PROV), and the account it stands for (`employeeNumber`). */
export interface Person {
  accountId: string;
  uid: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** An entry under the contractor base as reconciliation reads it. */
export interface DirectoryEntry {
  dn: string;
  accountId: string | null;
  enabled: boolean;
}

/** Why a call failed: the directory answered with an error (refused), or could not be reached. */
export class DirectoryFailure extends Error {
  constructor(readonly kind: 'refused' | 'unreachable', message: string) {
    super(message);
  }
}

const ACCOUNT_DISABLE = 2;
const AD_NORMAL_ACCOUNT = 512;
// ppolicy's value for "locked until an administrator unlocks it"; any other lock attribute is set to TRUE.
const lockValue = (attribute: string) => (attribute.toLowerCase() === 'pwdaccountlockedtime' ? '000001010000Z' : 'TRUE');

/** One DN compared with another the way a directory does (case and spaces after commas ignored). */
export const sameDn = (a: string, b: string): boolean => normalDn(a) === normalDn(b);
export const normalDn = (dn: string): string => dn.trim().replace(/\s*,\s*/g, ',').toLowerCase();

/** RFC 4514: a value put in a DN. */
export function escapeRdn(value: string): string {
  return value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

/** What failed, in plain words (the console puts them in French by `kind`). */
export function failureOf(error: unknown): DirectoryFailure {
  if (error instanceof DirectoryFailure) return error;
  if (error instanceof ResultCodeError) {
    const words = error.constructor.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
    const said = error.message.trim() ? `: ${error.message.trim()}` : '';
    return new DirectoryFailure('refused', `${words} (LDAP result ${error.code})${said}`);
  }
  return new DirectoryFailure('unreachable', error instanceof Error ? error.message : String(error));
}

/** R-PROV one bound session over TLS (ldaps://, or ldap:// upgraded by StartTLS before the bind, never in clear). */
export class LdapDirectory {
  private constructor(private readonly client: Client, readonly target: LdapTarget) {}

  static async open(target: LdapTarget, timeoutMs = 8000): Promise<LdapDirectory> {
    const host = URL.parse(target.url)?.hostname;
    if (!host) throw new DirectoryFailure('unreachable', `Not a directory address: ${target.url}`);
    const tlsOptions = { ca: target.caCertificate ? [target.caCertificate] : undefined, minVersion: 'TLSv1.2' as const, host,
      servername: isIP(host) ? undefined : host };
    const startTls = target.url.toLowerCase().startsWith('ldap://');
    // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps://.
    const client = new Client({ url: target.url, timeout: timeoutMs, connectTimeout: timeoutMs,
      tlsOptions: startTls ? undefined : tlsOptions });
    try {
      if (startTls) await client.startTLS(tlsOptions);
      await client.bind(target.bindDn, target.bindSecret);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw failureOf(error);
    }
    return new LdapDirectory(client, target);
  }

  async close(): Promise<void> {
    await this.client.unbind().catch(() => undefined);
  }

  /** The entry of an account under the base, found by `employeeNumber` (its DN may have been moved or renamed). */
  async find(accountId: string): Promise<DirectoryEntry | null> {
    const entries = await this.list(`(employeeNumber=${accountId})`);
    return entries[0] ?? null;
  }

  /** Every person entry under the contractor base. */
  async list(filter = '(|(objectClass=inetOrgPerson)(objectClass=user))'): Promise<DirectoryEntry[]> {
    const attributes = ['employeeNumber', this.target.lockAttribute, 'userAccountControl'];
    const { searchEntries } = await this.client.search(this.target.baseDn, { scope: 'sub', filter, attributes });
    return searchEntries.map((e) => ({ dn: e.dn, accountId: first(e.employeeNumber), enabled: this.enabledOf(e) }));
  }

  async exists(dn: string): Promise<boolean> {
    try {
      await this.client.search(dn, { scope: 'base', attributes: ['1.1'] });
      return true;
    } catch (error) {
      if (error instanceof ResultCodeError && error.code === 32) return false;
      throw error;
    }
  }

  /** Creates the entry, enabled or not, under the base; AD gets a user object, OpenLDAP an inetOrgPerson. */
  async create(person: Person, enabled: boolean): Promise<string> {
    const ad = this.target.disableMode === 'ad-uac';
    const dn = `${ad ? 'cn' : 'uid'}=${escapeRdn(ad ? `${person.firstName} ${person.lastName}` : person.uid)},${this.target.baseDn}`;
    const common = { cn: `${person.firstName} ${person.lastName}`, sn: person.lastName, givenName: person.firstName, mail: person.email,
      employeeNumber: person.accountId };
    const entry: Record<string, string | string[]> = ad
      ? { ...common, objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: person.uid.slice(0, 20),
        userPrincipalName: person.email, userAccountControl: String(AD_NORMAL_ACCOUNT | (enabled ? 0 : ACCOUNT_DISABLE)) }
      : { ...common, objectClass: 'inetOrgPerson', uid: person.uid, ...(enabled ? {} : { [this.target.lockAttribute]: lockValue(
        this.target.lockAttribute) }) };
    await this.client.add(dn, entry);
    return dn;
  }

  /** Keeps the nominative attributes as Prestagate has them. */
  async updatePerson(dn: string, person: Person): Promise<void> {
    const values: Record<string, string> = { cn: `${person.firstName} ${person.lastName}`, sn: person.lastName, givenName: person.firstName,
      mail: person.email };
    if (this.target.disableMode === 'ad-uac') delete values.cn;
    await this.client.modify(dn, Object.entries(values).map(([type, v]) => replace(type, [v])));
  }

  async setEnabled(dn: string, enabled: boolean): Promise<void> {
    if (this.target.disableMode === 'ad-uac') {
      const { searchEntries } = await this.client.search(dn, { scope: 'base', attributes: ['userAccountControl'] });
      const uac = Number(first(searchEntries[0]?.userAccountControl) ?? AD_NORMAL_ACCOUNT);
      await this.client.modify(dn, replace('userAccountControl', [String(enabled ? uac & ~ACCOUNT_DISABLE : uac | ACCOUNT_DISABLE)]));
      return;
    }
    const attribute = this.target.lockAttribute;
    await this.client.modify(dn, replace(attribute, enabled ? [] : [lockValue(attribute)]));
  }

  /** The members of a group (the `member` attribute, as AD and groupOfNames keep it). */
  async members(groupDn: string): Promise<string[]> {
    const { searchEntries } = await this.client.search(groupDn, { scope: 'base', attributes: ['member'] });
    const members = searchEntries[0]?.member;
    return members === undefined ? [] : (Array.isArray(members) ? members : [members]).map(String);
  }

  async addMember(groupDn: string, dn: string): Promise<void> {
    await this.client.modify(groupDn, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }));
  }

  async removeMember(groupDn: string, dn: string): Promise<void> {
    await this.client.modify(groupDn, new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [dn] }) }));
  }

  private enabledOf(e: Record<string, unknown>): boolean {
    if (this.target.disableMode === 'ad-uac') return (Number(first(e.userAccountControl) ?? 0) & ACCOUNT_DISABLE) === 0;
    const lock = Object.keys(e).find((k) => k.toLowerCase() === this.target.lockAttribute.toLowerCase());
    return !lock || first(e[lock]) === null;
  }
}

const replace = (type: string, values: string[]) => new Change({ operation: 'replace', modification: new Attribute({ type, values }) });

function first(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === null || v === '' ? null : String(v);
}
