import { Injectable } from '@nestjs/common';
import {
  Actor, actorOf, assertPdf, AuditService, Clock, ConflictError, Db, daysBetween, DomainEvents, FileStore, Lifecycle, lockRow, NotFoundError,
  Page, PageQuery, Principal, Role, SYSTEM_ACTOR, UserPrincipal, ValidationFailed, localDate,
} from '@app/core';
import { TenantCalendar, TenantsService } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ContractorAccess } from './contractor-access';
import { ContractorsRepository, PRESTATIONS_BY_START } from './contractors.repository';
import { Directory } from './directory';
import { AccessMode, PrestationEntity } from './entities';
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

/** R-ART10: days after the end when the contractor is reminded, and when the DSI and RSSI are told. */
export const ATTESTATION_REMINDER_DAYS = [7, 14, 21];
export const ATTESTATION_ESCALATION_DAYS = 30;

type PrestationStatus = 'open' | 'ended' | 'attested';
const statusOf = (p: PrestationEntity): PrestationStatus => (p.attestedAt ? 'attested' : p.endedAt ? 'ended' : 'open');

/** R-ART10 R-INT: a prestation ends once (the DSI or its end date, whichever comes first)... */
const ENDING = new Lifecycle<PrestationStatus, 'ended'>('prestation', 'PRESTATION_ALREADY_ENDED', { ended: ['open'] });
/** ...then its destruction attestation is received once. */
const ATTESTING = new Lifecycle<PrestationStatus, 'attested'>('prestation', 'ATTESTATION_ALREADY_RECEIVED', { attested: ['ended'] });

/** Prestations (what the contractor does, and how it reaches the SI) and their end (R-ART10). */
@Injectable()
export class PrestationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ContractorsRepository,
    private readonly access: ContractorAccess,
    private readonly files: FileStore,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly directory: Directory,
    private readonly calendar: TenantCalendar,
    private readonly tenants: TenantsService,
    private readonly clock: Clock,
  ) {}

  async create(principal: UserPrincipal, contractorId: string, input: CreatePrestation): Promise<PrestationView> {
    if (input.endsOn && input.endsOn < input.startsOn) {
      throw new ValidationFailed('The prestation ends before it starts', [{ field: 'endsOn', message: 'must be on or after startsOn' }]);
    }
    if (input.requireRgpdClauses && !input.rgpdSubcontractor) {
      throw new ValidationFailed('RGPD clauses apply to RGPD subcontractors (Art. 2)', [
        { field: 'requireRgpdClauses', message: 'only for a prestation with rgpdSubcontractor: true' },
      ]);
    }
    return this.db.transaction(async () => {
      const contractor = await this.access.require(principal, contractorId, 'administer');
      const prestation = await this.repo.prestations.save(this.repo.prestations.create({
        tenantId: contractor.tenantId, contractorId, title: input.title.trim(), accessMode: input.accessMode,
        rgpdSubcontractor: input.rgpdSubcontractor, requireRgpdClauses: input.requireRgpdClauses ?? false,
        requireSecurityReferential: input.requireSecurityReferential ?? false, startsOn: input.startsOn, endsOn: input.endsOn ?? null,
      }));
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
    return PRESTATIONS_BY_START.page(rows, page.limit, toPrestationView, (p) => ({ startsOn: p.startsOn, createdAt: p.createdAt, id: p.id }));
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
      if (!prestation.endedAt) {
        throw new ConflictError('PRESTATION_NOT_ENDED', 'The attestation is due once the prestation has ended', { currentStatus: 'open' });
      }
      ATTESTING.check(statusOf(prestation), 'attested');
      const stored = await this.files.put(file.content, 'application/pdf');
      await this.repo.prestations.update({ id: prestation.id }, {
        attestationSha256: stored.sha256, attestationFilename: file.filename, attestedAt: this.clock.now(), attestedBy: principal.userId,
      });
      await this.audit.record({
        tenantId: prestation.tenantId, actor: actorOf(principal), action: 'prestation.destruction_attested', targetType: 'prestation',
        targetId: prestation.id, after: { sha256: stored.sha256, size: stored.size, filename: file.filename },
      });
      const contractor = await this.repo.contractors.findOneByOrFail({ id: prestation.contractorId });
      await this.notifications.emailEach(await this.directory.hospital(prestation.tenantId, [Role.Dsi]), {
        tenantId: prestation.tenantId, template: 'attestation-received',
        data: { contractor: contractor.legalName, prestation: prestation.title, sha256: stored.sha256 },
      });
      return toPrestationView((await this.repo.prestations.findOneBy({ id: prestation.id }))!);
    });
  }

  async attestationFile(principal: Principal, prestationId: string) {
    const prestation = await this.visible(principal, prestationId, 'read');
    if (!prestation.attestationSha256) throw new NotFoundError('Attestation');
    const file = await this.files.get(prestation.attestationSha256);
    if (!file) throw new NotFoundError('Attestation');
    return { ...file, filename: prestation.attestationFilename ?? 'attestation.pdf' };
  }

  /**
   * Scheduler (daily, idempotent): prestations past their end date are ended (R-ART10), and the
   * missing destruction attestations are reminded, then escalated to the DSI and the RSSI.
   */
  async runDaily(): Promise<{ ended: number; reminded: number }> {
    let ended = 0;
    const open = await this.db.query<{ id: string; tenant_id: string; ends_on: string }>(
      `SELECT id, tenant_id, ends_on FROM prestations WHERE ended_at IS NULL AND ends_on IS NOT NULL`,
    );
    for (const row of open) {
      if (row.ends_on >= (await this.calendar.today(row.tenant_id))) continue;
      await this.db.transaction(async () => {
        await lockRow(this.db, 'prestations', row.id);
        const p = await this.repo.prestations.findOneBy({ id: row.id });
        if (!p || !ENDING.can(statusOf(p), 'ended')) return;
        await this.close(p, SYSTEM_ACTOR, 'end date reached', null);
        ended++;
      });
    }
    let reminded = 0;
    const missing = await this.repo.prestations.createQueryBuilder('p')
      .where('p.ended_at IS NOT NULL AND p.attested_at IS NULL').getMany();
    for (const p of missing) reminded += await this.remindAttestation(p);
    return { ended, reminded };
  }

  private async remindAttestation(p: PrestationEntity): Promise<number> {
    const policy = await this.tenants.policyOf(p.tenantId);
    const endedOn = localDate(p.endedAt!, policy.businessHours.timezone);
    const days = daysBetween(endedOn, await this.calendar.today(p.tenantId));
    const contractor = await this.repo.contractors.findOneByOrFail({ id: p.contractorId });
    const data = { contractor: contractor.legalName, prestation: p.title, endedOn, days };
    let sent = 0;
    const step = [...ATTESTATION_REMINDER_DAYS].reverse().find((d) => days >= d);
    if (step !== undefined) {
      await this.notifications.emailEach(await this.directory.contactsOf(p.contractorId, ['legal_rep', 'security_contact', 'security_deputy']), {
        tenantId: p.tenantId, template: 'attestation-required', data, dedupeKey: `attestation:${p.id}:reminder:${step}`,
      });
      sent++;
    }
    if (days >= ATTESTATION_ESCALATION_DAYS) {
      await this.notifications.emailEach(await this.directory.hospital(p.tenantId, [Role.Dsi, Role.Rssi]), {
        tenantId: p.tenantId, template: 'attestation-overdue', data, dedupeKey: `attestation:${p.id}:escalation`,
      });
      sent++;
    }
    return sent;
  }

  private async close(p: PrestationEntity, actor: Actor, reason: string, userId: string | null): Promise<PrestationEntity> {
    const today = await this.calendar.today(p.tenantId);
    const endsOn = p.endsOn && p.endsOn < today ? p.endsOn : today;
    await this.repo.prestations.update({ id: p.id }, { endedAt: this.clock.now(), endedBy: userId, endReason: reason, endsOn });
    await this.audit.record({
      tenantId: p.tenantId, actor, action: 'prestation.ended', targetType: 'prestation', targetId: p.id,
      before: { endsOn: p.endsOn, endedAt: null }, after: { endsOn, endedAt: this.clock.now(), reason },
    });
    await this.events.emit('prestation.ended', { tenantId: p.tenantId, contractorId: p.contractorId, prestationId: p.id, reason });
    const contractor = await this.repo.contractors.findOneByOrFail({ id: p.contractorId });
    await this.notifications.emailEach(await this.directory.contactsOf(p.contractorId, ['legal_rep', 'security_contact', 'security_deputy']), {
      tenantId: p.tenantId, template: 'attestation-required',
      data: { contractor: contractor.legalName, prestation: p.title, endedOn: today, days: 0 },
      dedupeKey: `attestation:${p.id}:ended`,
    });
    return (await this.repo.prestations.findOneBy({ id: p.id }))!;
  }

  private async visible(principal: Principal, prestationId: string, need: 'read' | 'declare' | 'administer'): Promise<PrestationEntity> {
    const prestation = principal.tenantId
      ? await this.repo.prestations.findOneBy({ id: prestationId, tenantId: principal.tenantId })
      : null;
    if (!prestation) throw new NotFoundError('Prestation');
    await this.access.require(principal, prestation.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Prestation') : error;
    });
    return prestation;
  }
}
