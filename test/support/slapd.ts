import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, freePort } from '@app/testing';

const run = promisify(execFile);
export const SUFFIX = 'dc=hopital,dc=test';
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const ROOT_PW = 'annuaire-secret';
export const BASE_DN = `ou=prestataires,${SUFFIX}`;
export const group = (cn: string) => `cn=${cn},ou=groups,${SUFFIX}`;

/**
 * R-PROV a real OpenLDAP (Debian's slapd) in a temporary directory, on a port of its own: mdb backend, StartTLS with a
 * self-signed certificate, the ppolicy overlay for pwdAccountLockedTime. groupOfNames needs a member: the admin stays in each.
 */
export class Slapd {
  private process?: ChildProcess;
  readonly caCertificate: string;

  private constructor(readonly dir: string, readonly port: number) {
    this.caCertificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  static async start(groups: string[]): Promise<Slapd> {
    const dir = mkdtempSync(join(tmpdir(), 'prestagate-slapd-'));
    mkdirSync(join(dir, 'db'));
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    writeFileSync(join(dir, 'slapd.conf'), [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      'modulepath /usr/lib/ldap', 'moduleload back_mdb', 'moduleload ppolicy', `pidfile ${join(dir, 'slapd.pid')}`,
      `TLSCertificateFile ${join(dir, 'cert.pem')}`, `TLSCertificateKeyFile ${join(dir, 'key.pem')}`,
      'database mdb', 'maxsize 10485760', `suffix "${SUFFIX}"`, `rootdn "${ROOT_DN}"`, `rootpw ${ROOT_PW}`, `directory ${join(dir, 'db')}`,
      'overlay ppolicy', '',
    ].join('\n'));
    const slapd = new Slapd(dir, await freePort());
    await slapd.resume();
    await slapd.modify([
      `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Hopital\ndc: hopital`,
      `dn: ${BASE_DN}\nobjectClass: organizationalUnit\nou: prestataires`,
      `dn: ou=groups,${SUFFIX}\nobjectClass: organizationalUnit\nou: groups`,
      ...groups.map((g) => `dn: ${group(g)}\nobjectClass: groupOfNames\ncn: ${g}\nmember: ${ROOT_DN}`),
    ].join('\n\n'), true);
    return slapd;
  }

  /** Starts (again) on the same port and data; resolves once it answers. */
  async resume(): Promise<void> {
    this.process = spawn('slapd', ['-f', join(this.dir, 'slapd.conf'), '-h', `${this.url}/`, '-d', '0'], { stdio: 'ignore' });
    const up = await eventually(() => this.search('', '(objectClass=*)', 'base').then(() => true, () => false), (ok) => ok, 30_000);
    if (!up) {
      await this.stop();
      throw new Error('slapd did not start');
    }
  }

  /** Stops it (SIGTERM) and waits for the process to end: the directory is down. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** ldapmodify (or ldapadd) as the administrator, over StartTLS: what a directory administrator does by hand. */
  async modify(ldif: string, add = false): Promise<void> {
    const file = join(this.dir, `change-${Date.now()}.ldif`);
    writeFileSync(file, `${ldif}\n`);
    await run('ldapmodify', [...(add ? ['-a'] : []), '-ZZ', '-x', '-H', this.url, '-D', ROOT_DN, '-w', ROOT_PW, '-f', file], { env: this.env });
  }

  /** Entries as attribute maps (lower-cased names), all attributes including operational ones. */
  async search(base: string, filter: string, scope = 'sub'): Promise<Record<string, string[]>[]> {
    const { stdout } = await run('ldapsearch', ['-ZZ', '-x', '-LLL', '-o', 'ldif-wrap=no', '-H', this.url, '-D', ROOT_DN, '-w', ROOT_PW,
      '-s', scope, '-b', base, filter, '*', '+'], { env: this.env });
    return stdout.split(/\n\n+/).filter((b) => b.trim()).map((block) => {
      const entry: Record<string, string[]> = {};
      for (const line of block.split('\n')) {
        const m = /^([\w;-]+):(:?) ?(.*)$/.exec(line);
        if (!m) continue;
        const value = m[2] ? Buffer.from(m[3], 'base64').toString('utf8') : m[3];
        (entry[m[1].toLowerCase()] ??= []).push(value);
      }
      return entry;
    });
  }

  async entryOf(accountId: string): Promise<Record<string, string[]> | undefined> {
    return (await this.search(BASE_DN, `(employeeNumber=${accountId})`))[0];
  }

  async members(cn: string): Promise<string[]> {
    return (await this.search(group(cn), '(objectClass=*)', 'base'))[0]?.member ?? [];
  }

  /** Polls the account's entry until `done` (generous: a loaded machine is slow). */
  entryWhen(accountId: string, done: (e?: Record<string, string[]>) => boolean): Promise<Record<string, string[]> | undefined> {
    return eventually(() => this.entryOf(accountId), done, 90_000);
  }

  membersWhen(cn: string, done: (members: string[]) => boolean): Promise<string[]> {
    return eventually(() => this.members(cn), done, 90_000);
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, LDAPTLS_CACERT: join(this.dir, 'cert.pem') };
  }
}

/** R-PROV the connector of a test establishment on this slapd (groups: resource id -> group cn). */
export function connectorFor(slapd: Slapd, groups: Record<string, string>, extra: object = {}): Record<string, unknown> {
  return {
    url: slapd.url, bindDn: ROOT_DN, bindSecret: ROOT_PW, baseDn: BASE_DN, disableMode: 'openldap-lock', caCertificate: slapd.caCertificate,
    groups: Object.entries(groups).map(([resourceId, cn]) => ({ resourceId, groupDn: group(cn) })), autoCorrect: false, ...extra,
  };
}

/** Disabled the OpenLDAP way: ppolicy's lock attribute set. */
export const locked = (entry?: Record<string, string[]>): boolean => Boolean(entry?.pwdaccountlockedtime?.length);
export const memberOf = (members: string[], dn: string): boolean => members.some((m) => m.toLowerCase() === dn.toLowerCase());
