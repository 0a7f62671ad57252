import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { bindTo, Db, Keyset, NotFoundError, Page, PageQuery, Role } from '@app/core';
import { UserEntity, UserStatus } from '../entities';
import { TenantsRepository } from './tenants.repository';

/** An establishment as the platform operator sees it: no policy, no people, counts only. */
export class EstablishmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The policy preset it was created with' }) preset: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'DSIs who can sign in (status active)' }) activeDsis: number;
  @ApiProperty({ description: 'Contractor companies declared' }) contractors: number;
}

/** A DSI of an establishment, for the operator to pick the one whose second factor to reset. */
export class DsiView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['invited', 'active', 'suspended', 'deactivated'] }) status: UserStatus;
  @ApiProperty() mfaEnrolled: boolean;
}

interface EstablishmentRow {
  id: string;
  name: string;
  preset: string;
  created_at: Date;
  active_dsis: number;
  contractors: number;
}

const BY_NAME = new Keyset('ASC', [['name', 't.name', 'text'], ['id', 't.id', 'uuid']]);
const BY_PERSON = new Keyset('ASC', [['lastName', 'u.last_name', 'text'], ['firstName', 'u.first_name', 'text'], ['id', 'u.id', 'uuid']]);

/**
 * R-POL the platform operator's view of the establishments (docs/guide.md "Tenants, people and gateways"):
 * the list with what tells it whether an establishment can still administer itself (its active DSIs),
 * and the DSIs of one. It reads the counts of other domains' tables in SQL (contractors): the operator
 * sees numbers, never a company.
 */
@Injectable()
export class EstablishmentsService {
  constructor(
    private readonly db: Db,
    private readonly tenants: TenantsRepository,
  ) {}

  async list(page: PageQuery): Promise<Page<EstablishmentView>> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const rows = await this.db.query<EstablishmentRow>(
      `SELECT t.id, t.name, t.preset, t.created_at,
              (SELECT count(*)::int FROM users u
                WHERE u.tenant_id = t.id AND u.contractor_id IS NULL AND u.status = 'active' AND '${Role.Dsi}' = ANY(u.roles)) AS active_dsis,
              (SELECT count(*)::int FROM contractors c WHERE c.tenant_id = t.id) AS contractors
         FROM tenants t WHERE ${BY_NAME.after(page.cursor, bind)}
        ORDER BY ${BY_NAME.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return BY_NAME.page(rows, page.limit, toEstablishmentView, (r) => ({ name: r.name, id: r.id }));
  }

  /** The establishment's DSIs, whatever their status, by name; an unknown establishment is a 404. */
  async dsis(tenantId: string, page: PageQuery): Promise<Page<DsiView>> {
    if (!(await this.tenants.findById(tenantId))) throw new NotFoundError('Establishment');
    const query = this.db.manager.getRepository(UserEntity).createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND u.contractor_id IS NULL AND :dsi = ANY(u.roles)', { tenantId, dsi: Role.Dsi });
    const rows = await BY_PERSON.applyTo(query, page).getMany();
    return BY_PERSON.page(rows, page.limit, toDsiView, (u) => ({ lastName: u.lastName, firstName: u.firstName, id: u.id }));
  }
}

function toEstablishmentView(r: EstablishmentRow): EstablishmentView {
  return {
    id: r.id, name: r.name, preset: r.preset, createdAt: new Date(r.created_at).toISOString(),
    activeDsis: r.active_dsis, contractors: r.contractors,
  };
}

function toDsiView(u: UserEntity): DsiView {
  return { id: u.id, firstName: u.firstName, lastName: u.lastName, email: u.email, status: u.status, mfaEnrolled: u.totpEnabledAt !== null };
}
