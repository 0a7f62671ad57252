import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Daemon } from './daemon';

export const OPENSSH_INTEGRATION = resolve(__dirname, '../../integrations/openssh');

/**
 * Debian's sshd on its own port, configuration, host key and PID file, run in the foreground (never the machine's sshd).
 * PAM names the service after the program: the binary is copied under a name of its own, whose /etc/pam.d file this
 * creates and removes, holding the integration's lines as its README gives them.
 */
export class Sshd {
  private readonly daemon = new Daemon();
  private readonly service: string;
  private readonly binary: string;

  constructor(private readonly dir: string, readonly port: number, private readonly opts: { conf: string; group: string; state: string }) {
    this.service = `prestagate-test-sshd-${port}`;
    this.binary = join(dir, this.service);
  }

  /** A user's authorized key (the test's client key). */
  authorize(user: string, publicKey: string): void {
    mkdirSync(join(this.dir, 'keys'), { recursive: true });
    writeFileSync(join(this.dir, 'keys', user), publicKey, { mode: 0o644 });
  }

  async start(): Promise<void> {
    const { dir, opts } = this;
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation (Debian's sshd needs it)
    copyFileSync('/usr/sbin/sshd', this.binary);
    chmodSync(this.binary, 0o755);
    const hostKey = join(dir, 'host_ed25519');
    if (!existsSync(hostKey)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    const gate = `${OPENSSH_INTEGRATION}/prestagate-gate ${opts.conf}`;
    writeFileSync(`/etc/pam.d/${this.service}`, [
      'account required pam_unix.so', `account required pam_exec.so quiet ${gate}`, `session required pam_exec.so quiet ${gate}`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'sshd_config'), [
      `Port ${this.port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `PidFile ${join(dir, 'sshd.pid')}`, 'UsePAM yes',
      'PubkeyAuthentication yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin no',
      `AuthorizedKeysFile ${join(dir, 'keys')}/%u`, 'StrictModes no', 'LogLevel VERBOSE',
      `Match Group ${opts.group}`, `  ForceCommand ${OPENSSH_INTEGRATION}/prestagate-session 5 ${opts.state}`, '',
    ].join('\n'));
    await this.daemon.start(this.binary, ['-D', '-e', '-f', join(dir, 'sshd_config')], this.port);
  }

  /** sshd's log (-e: on stderr), for a failure's message. */
  get log(): string {
    return this.daemon.log;
  }

  async stop(): Promise<void> {
    await this.daemon.signal('SIGTERM');
    rmSync(`/etc/pam.d/${this.service}`, { force: true });
  }
}

/** A Unix user of the test (in the given groups), removed by the returned function. */
export function unixUser(name: string, groups: string[]): () => void {
  for (const g of groups) execFileSync('groupadd', ['-f', g]);
  execFileSync('useradd', ['-m', '-s', '/bin/sh', '-G', groups.join(','), name]);
  return () => {
    execFileSync('userdel', ['-r', '-f', name], { stdio: 'ignore' });
  };
}

/** Removes groups the test created. */
export function removeGroups(groups: string[]): void {
  for (const g of groups) execFileSync('groupdel', ['-f', g], { stdio: 'ignore' });
}
