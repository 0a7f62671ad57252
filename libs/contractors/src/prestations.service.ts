import { Injectable } from '@nestjs/common';
import {
  Actor, actorOf, assertPdf, AuditService, Clock, Db, DomainEvents, FileStore, IsoDate, Lifecycle, lockRow,
  NotFoundError, Page, PageQuery, Principal, SYSTEM_ACTOR, UserPrincipal,
} from '@app/core';
import { TenantCalendar } from '@app/identity';
import { ContractorAccess } from './contractor-access';
import { ContractorsRepository, PRESTATIONS_BY_START } from './contractors.repository';
import { PrestationEntity } from './entities';
import { ContractorErrors } from './errors';
import type { AccessMode } from './types';
import { PrestationView, toPrestationView } from './views';

export interface CreatePrestation {
  title: string;
  accessMode: AccessMode;
  rgpdSubcontractor: boolean;
  requireRgpdClauses?: boolean;
  requireSecurityReferential?: boolean;
  startsOn: string;
  endsOn?: string;
}

export interface UploadedFile {
  content: Buffer;
  filename: string;
}

type PrestationStatus = 'open' | 'ended' | 'attested';
const statusOf = (p: PrestationEntity): PrestationStatus => (p.attestedAt ? 'attested' : p.endedAt ? 'ended' : 'open');

/** R-ART10 R-INT: a prestation ends once (the DSI or its end date, whichever comes first)... */
const ENDING = new Lifecycle<PrestationStatus, 'ended'>('Prestation', 'PRESTATION_ALREADY_ENDED', { ended: ['open'] });
/** ...then its destruction attestation is received once. */
const ATTESTING = new Lifecycle<PrestationStatus, 'attested'>('Prestation', 'ATTESTATION_ALREADY_RECEIVED', { attested: ['ended'] });

/** Prestations (what the contractor does, and how it reaches the SI) and their end (R-ART10); notices: PrestationNotifications. */
@Injectable()
export class PrestationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ContractorsRepository,
    private readonly access: ContractorAccess,
    private readonly files: FileStore,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async create(principal: UserPrincipal, contractorId: string, input: CreatePrestation): Promise<PrestationView> {
    if (input.endsOn && input.endsOn < input.startsOn) {
      throw ContractorErrors.invalid('PRESTATION_ENDS_BEFORE_START', 'endsOn');
    }
    if (input.requireRgpdClauses && !input.rgpdSubcontractor) {
      throw ContractorErrors.invalid('RGPD_CLAUSES_FOR_SUBCONTRACTORS', 'requireRgpdClauses');
    }
    return this.db.transaction(async () => {
      const contractor = await this.access.require(principal, contractorId, 'administer');
      const prestation = await this.repo.insertPrestation({
        tenantId: contractor.tenantId, contractorId, title: input.title.trim(), accessMode: input.accessMode,
        rgpdSubcontractor: input.rgpdSubcontractor, requireRgpdClauses: input.requireRgpdClauses ?? false,
        requireSecurityReferential: input.requireSecurityReferential ?? false, startsOn: input.startsOn, endsOn: input.endsOn ?? null,
      });
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'prestation.created', targetType: 'prestation',
        targetId: prestation.id, after: { contractorId, ...input },
      });
      return toPrestationView(prestation);
    });
  }

  async list(principal: Principal, contractorId: string, page: PageQuery): Promise<Page<PrestationView>> {
    await this.access.require(principal, contractorId, 'read');
    const rows = await this.repo.prestationsOf(contractorId, page);
    const key = (p: PrestationEntity) => ({ startsOn: p.startsOn, createdAt: p.createdAt, id: p.id });
    return PRESTATIONS_BY_START.page(rows, page.limit, toPrestationView, key);
  }

  /** Running on a day: started, not past its end date, not ended by the DSI. */
  async running(contractorId: string, today: IsoDate): Promise<PrestationView[]> {
    return (await this.repo.runningPrestations(contractorId, today)).map(toPrestationView);
  }

  /** R-ART10: ends the prestation now; its accounts are deactivated (listeners) and the attestation becomes due. */
  async end(principal: UserPrincipal, prestationId: string, reason: string | undefined): Promise<PrestationView> {
    return this.db.transaction(async () => {
      await lockRow(this.db, 'prestations', prestationId);
      const prestation = await this.visible(principal, prestationId, 'administer');
      ENDING.check(statusOf(prestation), 'ended');
      return toPrestationView(await this.close(prestation, actorOf(principal), reason?.trim() || 'ended by the DSI', principal.userId));
    });
  }

  /** R-ART10: the sworn attestation that the establishment's data was destroyed (a PDF). */
  async attest(principal: UserPrincipal, prestationId: string, file: UploadedFile): Promise<PrestationView> {
    assertPdf(file.content);
    return this.db.transaction(async () => {
      await lockRow(this.db, 'prestations', prestationId);
      const prestation = await this.visible(principal, prestationId, 'declare');
      if (!prestation.endedAt) throw ContractorErrors.error('PRESTATION_NOT_ENDED', undefined, { currentStatus: 'open' });
      ATTESTING.check(statusOf(prestation), 'attested');
      const stored = await this.files.put(file.content, 'application/pdf');
      await this.repo.updatePrestation(prestation.id, {
        attestationSha256: stored.sha256, attestationFilename: file.filename, attestedAt: this.clock.now(), attestedBy: principal.userId,
      });
      await this.audit.record({
        tenantId: prestation.tenantId, actor: actorOf(principal), action: 'prestation.destruction_attested', targetType: 'prestation',
        targetId: prestation.id, after: { sha256: stored.sha256, size: stored.size, filename: file.filename },
      });
      await this.events.emit('prestation.attested', {
        tenantId: prestation.tenantId, contractorId: prestation.contractorId, prestationId: prestation.id, sha256: stored.sha256,
      });
      return toPrestationView((await this.repo.prestationById(prestation.id))!);
    });
  }

  async attestationFile(principal: Principal, prestationId: string) {
    const prestation = await this.visible(principal, prestationId, 'read');
    if (!prestation.attestationSha256) throw new NotFoundError('Attestation');
    const file = await this.files.get(prestation.attestationSha256);
    if (!file) throw new NotFoundError('Attestation');
    return { ...file, filename: prestation.attestationFilename ?? 'attestation.pdf' };
  }

  /** Scheduler (daily, idempotent): prestations past their end date are ended (R-ART10). */
  async endDue(): Promise<number> {
    let ended = 0;
    for (const row of await this.repo.withEndDateNotEnded()) {
      if (row.endsOn! >= (await this.calendar.today(row.tenantId))) continue;
      await this.db.transaction(async () => {
        await lockRow(this.db, 'prestations', row.id);
        const p = await this.repo.prestationById(row.id);
        if (!p || !ENDING.can(statusOf(p), 'ended')) return;
        await this.close(p, SYSTEM_ACTOR, 'end date reached', null);
        ended++;
      });
    }
    return ended;
  }

  private async close(p: PrestationEntity, actor: Actor, reason: string, userId: string | null): Promise<PrestationEntity> {
    const today = await this.calendar.today(p.tenantId);
    const endsOn = p.endsOn && p.endsOn < today ? p.endsOn : today;
    await this.repo.updatePrestation(p.id, { endedAt: this.clock.now(), endedBy: userId, endReason: reason, endsOn });
    await this.audit.record({
      tenantId: p.tenantId, actor, action: 'prestation.ended', targetType: 'prestation', targetId: p.id,
      before: { endsOn: p.endsOn, endedAt: null }, after: { endsOn, endedAt: this.clock.now(), reason },
    });
    await this.events.emit('prestation.ended', { tenantId: p.tenantId, contractorId: p.contractorId, prestationId: p.id, reason });
    return (await this.repo.prestationById(p.id))!;
  }

  private async visible(principal: Principal, prestationId: string, need: 'read' | 'declare' | 'administer'): Promise<PrestationEntity> {
    const prestation = principal.tenantId ? await this.repo.prestation({ tenantId: principal.tenantId }, prestationId) : null;
    if (!prestation) throw new NotFoundError('Prestation');
    await this.access.require(principal, prestation.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Prestation') : error;
    });
    return prestation;
  }
}
