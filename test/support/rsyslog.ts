import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Daemon } from './daemon';

/** The name in the listener's test certificate: the one the shipped configuration checks (x509/name). */
export const PRESTAGATE_NAME = 'prestagate.chm.local';

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

/** A test CA and the listener's certificate it signs (EC P-256, two days), written under `dir` by openssl. */
export function makeCertificates(dir: string): TlsFiles {
  mkdirSync(dir, { recursive: true });
  const ca = join(dir, 'ca.pem');
  openssl(['req', '-x509', ...EC, '-keyout', join(dir, 'ca.key'), '-out', ca, '-days', '2', '-subj', '/CN=Prestagate test CA']);
  return { ca, ...signed(dir, 'server', PRESTAGATE_NAME, `subjectAltName=DNS:${PRESTAGATE_NAME}\nextendedKeyUsage=serverAuth\n`) };
}

/** A gateway's client certificate signed by the CA makeCertificates wrote in `dir`. */
export function makeClientCertificate(dir: string, name: string): { cert: string; key: string } {
  return signed(dir, name, name, 'extendedKeyUsage=clientAuth\n');
}

function signed(dir: string, file: string, name: string, extensions: string): { cert: string; key: string } {
  const files = { cert: join(dir, `${file}.pem`), key: join(dir, `${file}.key`) };
  openssl(['req', ...EC, '-keyout', files.key, '-out', join(dir, `${file}.csr`), '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${file}.ext`), extensions);
  openssl(['x509', '-req', '-in', join(dir, `${file}.csr`), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
    '-out', files.cert, '-days', '2', '-extfile', join(dir, `${file}.ext`)]);
  return files;
}

/**
 * Debian's rsyslogd with integrations/rsyslog/60-prestagate.conf as shipped, only its ports, target and CA file changed,
 * and a work directory, configuration and PID file of its own (never the machine's rsyslog).
 */
export class Rsyslogd {
  readonly workDir: string;
  private readonly conf: string;
  private readonly pidFile: string;
  private readonly daemon = new Daemon();

  constructor(dir: string, readonly inputPort: number, targetPort: number, caFile: string) {
    this.workDir = join(dir, 'work');
    this.conf = join(dir, 'rsyslog.conf');
    this.pidFile = join(dir, 'rsyslogd.pid');
    mkdirSync(this.workDir, { recursive: true });
    const shipped = readFileSync(resolve(__dirname, '../../integrations/rsyslog/60-prestagate.conf'), 'utf8');
    const conf = shipped
      .replace('port="514"', `port="${inputPort}"`)
      .replace('target="prestagate.chm.local"', 'target="127.0.0.1"')
      .replace('port="6514"', `port="${targetPort}"`)
      .replace('/etc/rsyslog.d/prestagate-ca.pem', caFile);
    if (conf === shipped) throw new Error('integrations/rsyslog/60-prestagate.conf no longer has the settings the test adjusts');
    writeFileSync(this.conf, `global(workDirectory="${this.workDir}")\n${conf}`);
  }

  /** Starts rsyslogd in the foreground; resolves once its input accepts connections. */
  async start(): Promise<void> {
    if (existsSync(this.pidFile)) rmSync(this.pidFile); // left by a SIGKILL
    await this.daemon.start('rsyslogd', ['-n', '-f', this.conf, '-i', this.pidFile], this.inputPort);
  }

  /** What rsyslogd wrote on its outputs (its errors). */
  get log(): string {
    return this.daemon.log;
  }

  /** SIGKILL: a crash, nothing flushed. */
  crash(): Promise<void> {
    return this.daemon.signal('SIGKILL');
  }

  stop(): Promise<void> {
    return this.daemon.signal('SIGTERM');
  }

  /** Every queue file's text joined (the disk queue holds the messages as rsyslog serialised them). */
  queued(): string {
    const files = readdirSync(this.workDir).filter((f) => f.startsWith('prestagate.') && !f.endsWith('.tmp'));
    const read = (f: string) => { try { return readFileSync(join(this.workDir, f), 'latin1'); } catch { return ''; } }; // rotated meanwhile
    return files.map(read).join('\n');
  }
}
