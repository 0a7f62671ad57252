import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EvidenceRepository } from './evidence.repository';

/**
 * R-INT: says once, at start, when the evidence is not protected from this process's own
 * credentials: connected as the tables' owner or a superuser (a single DATABASE_URL), which may
 * disable the triggers and rewrite history; or with no signed checkpoints to detect that.
 */
@Injectable()
export class EvidenceProtection implements OnApplicationBootstrap {
  private readonly log = new Logger('Evidence');

  constructor(
    private readonly repo: EvidenceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.ownsEvidence()) {
      this.log.warn('Evidence is not protected: DATABASE_URL connects as the owner of the evidence tables (or a superuser), which can '
        + 'disable their triggers and rewrite the audit trail and the journal. Migrate with DATABASE_OWNER_URL and connect the API and the '
        + 'worker as a member of prestagate_app (docs/operations.md, "Evidence and database roles").');
    }
    if (!this.config.evidence.checkpointDir || !this.config.evidence.publicKeys.length) {
      this.log.warn('Signed evidence checkpoints are off (EVIDENCE_SIGNING_KEY or EVIDENCE_PUBLIC_KEYS, and EVIDENCE_CHECKPOINT_DIR): '
        + 'a rewrite by the database owner would go unnoticed.');
    }
  }

  /** True when the connection's role owns audit_events (or is a member of its owner) or is a superuser. */
  ownsEvidence(): Promise<boolean> {
    return this.repo.ownsEvidence();
  }
}
