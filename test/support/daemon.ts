import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { eventually } from '@app/testing';

/** True once something accepts TCP connections on the port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

/** A program a test runs in the foreground (rsyslogd -n, sshd -D), its outputs kept; up once its port accepts connections. */
export class Daemon {
  private child: ChildProcess | null = null;
  private output = '';

  async start(command: string, args: string[], port: number): Promise<void> {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child = child;
    const up = await eventually(() => accepts(port), (ok) => ok || child.exitCode !== null, 30_000);
    if (!up) throw new Error(`${command} did not start: ${this.output}`);
  }

  /** What the program wrote on its outputs. */
  get log(): string {
    return this.output;
  }

  /** Sends the signal and waits for the exit (SIGKILL: a crash, nothing flushed). */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
    this.child = null;
  }
}
