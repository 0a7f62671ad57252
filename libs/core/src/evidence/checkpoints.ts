import { sign, verify, KeyObject } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { keyIdOf } from '../config/evidence-keys';
import { Clock } from '../clock/clock';
import { EvidenceRepository } from './evidence.repository';
import { JobName } from '../jobs/job-names';
import { OnJob } from '../jobs/job-handler';

/** The two hash chains whose heads are signed: the audit trail and the connection journal's sealed batches. */
export type EvidenceChain = 'audit' | 'journal';

/** One line of a checkpoint file. `tenantId` null: the platform's audit chain. */
export interface Checkpoint {
  tenantId: string | null;
  chain: EvidenceChain;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** Ed25519, base64, over checkpointText(). */
  signature: string;
}

/** What verify says of the latest signed checkpoint of a chain: does the chain still hold that head? */
export interface CheckpointCheck {
  at: string;
  seq: number;
  hash: string;
  keyId: string;
  matches: boolean;
}

/** The signed bytes: every field but the signature, in a fixed order. */
export function checkpointText(c: Omit<Checkpoint, 'signature'>): string {
  return `prestagate-checkpoint-v1\n${JSON.stringify([c.tenantId, c.chain, c.seq, c.hash, c.at, c.keyId])}`;
}

export function checkpointSignatureValid(c: Checkpoint, keys: KeyObject[]): boolean {
  const key = keys.find((k) => keyIdOf(k) === c.keyId);
  return !!key && verify(null, Buffer.from(checkpointText(c)), key, Buffer.from(c.signature, 'base64'));
}

/**
 * R-INT R-AUD: each hour the worker signs every chain head with a key the database never sees and appends it to
 * `<dir>/<tenant id or "platform">.jsonl` (fsync'd), so a history rewritten later no longer holds the signed head.
 */
@Injectable()
export class EvidenceCheckpoints {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: EvidenceRepository,
    private readonly clock: Clock,
  ) {}

  @OnJob(JobName.EvidenceCheckpoint)
  async signHeads(): Promise<void> {
    await this.signAll();
  }

  /** Appends one signed checkpoint per chain head; answers them (none without a key and a directory). */
  async signAll(): Promise<Checkpoint[]> {
    const { signingKey, checkpointDir } = this.config.evidence;
    if (!signingKey || !checkpointDir) return [];
    const heads = await this.repo.heads();
    const at = this.clock.now().toISOString();
    const keyId = keyIdOf(signingKey);
    const checkpoints = heads.map((h) => {
      const fields = { ...h, at, keyId };
      return { ...fields, signature: sign(null, Buffer.from(checkpointText(fields)), signingKey).toString('base64') };
    });
    await mkdir(checkpointDir, { recursive: true, mode: 0o750 });
    const byFile = new Map<string, Checkpoint[]>();
    for (const c of checkpoints) byFile.set(this.fileOf(c.tenantId), [...(byFile.get(this.fileOf(c.tenantId)) ?? []), c]);
    for (const [file, lines] of byFile) {
      const handle = await open(file, 'a', 0o640);
      try {
        await handle.appendFile(lines.map((c) => `${JSON.stringify(c)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return checkpoints;
  }

  /** The latest checkpoint of the chain whose signature a configured public key verifies (forged lines are ignored). */
  async latest(tenantId: string | null, chain: EvidenceChain): Promise<Checkpoint | null> {
    if (!this.config.evidence.checkpointDir || !this.config.evidence.publicKeys.length) return null;
    const text = await readFile(this.fileOf(tenantId), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    const lines = text.split('\n').filter(Boolean).reverse();
    for (const line of lines) {
      const c = parseLine(line);
      if (c && c.tenantId === tenantId && c.chain === chain && checkpointSignatureValid(c, this.config.evidence.publicKeys)) return c;
    }
    return null;
  }

  /** Compares the latest checkpoint with the hash the chain holds today at its position (`hashAt` null: no such position). */
  async check(
    tenantId: string | null, chain: EvidenceChain, hashAt: (seq: number) => Promise<string | null>,
  ): Promise<CheckpointCheck | undefined> {
    const c = await this.latest(tenantId, chain);
    if (!c) return undefined;
    const held = c.seq === 0 ? c.hash : await hashAt(c.seq);
    return { at: c.at, seq: c.seq, hash: c.hash, keyId: c.keyId, matches: held === c.hash };
  }

  private fileOf(tenantId: string | null): string {
    return join(this.config.evidence.checkpointDir!, `${tenantId ?? 'platform'}.jsonl`);
  }
}

function parseLine(line: string): Checkpoint | null {
  try {
    const c = JSON.parse(line) as Checkpoint;
    return typeof c.signature === 'string' && typeof c.seq === 'number' && typeof c.hash === 'string' ? c : null;
  } catch {
    return null;
  }
}
