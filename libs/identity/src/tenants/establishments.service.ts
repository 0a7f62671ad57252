import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { NotFoundError, Page, PageQuery } from '@app/core';
import { Person, UserStatus } from '../entities';
import { UsersRepository } from '../users/users.repository';
import { EstablishmentRow, TenantsRepository } from './tenants.repository';

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

/**
 * R-POL the platform operator's view of the establishments (docs/guide.md "Tenants, people and gateways"):
 * the list with their active DSIs (can it still administer itself?), and the DSIs of one.
 */
@Injectable()
export class EstablishmentsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
  ) {}

  async list(page: PageQuery): Promise<Page<EstablishmentView>> {
    const { items, nextCursor } = await this.tenants.listWithCounts(page);
    return { items: items.map(toEstablishmentView), nextCursor };
  }

  /** The establishment's DSIs, whatever their status, by name; an unknown establishment is a 404. */
  async dsis(tenantId: string, page: PageQuery): Promise<Page<DsiView>> {
    if (!(await this.tenants.findById(tenantId))) throw new NotFoundError('Establishment');
    const { items, nextCursor } = await this.users.listDsis(tenantId, page);
    return { items: items.map(toDsiView), nextCursor };
  }
}

function toEstablishmentView(r: EstablishmentRow): EstablishmentView {
  return {
    id: r.id, name: r.name, preset: r.preset, createdAt: new Date(r.createdAt).toISOString(),
    activeDsis: r.activeDsis, contractors: r.contractors,
  };
}

function toDsiView(u: Person): DsiView {
  const { id, firstName, lastName, email, status } = u;
  return { id, firstName, lastName, email, status, mfaEnrolled: u.totpEnabledAt !== null && u.status !== 'invited' };
}
