import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role, ApiKeyScope } from '@app/core';
import type { TenantPolicy } from './policy/tenant-policy';

@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column() preset: string;
  @Column({ type: 'jsonb' }) policy: TenantPolicy;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export type UserStatus = 'invited' | 'active' | 'suspended' | 'deactivated';

/** R-MEMB a person's membership of one establishment (or the platform operator's, tenant null). */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'identity_id', type: 'uuid' }) identityId: string;
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId: string | null;
  @Column({ name: 'contractor_id', type: 'uuid', nullable: true }) contractorId: string | null;
  @Column() email: string;
  @Column({ name: 'first_name' }) firstName: string;
  @Column({ name: 'last_name' }) lastName: string;
  @Column({ type: 'text', array: true }) roles: Role[];
  @Column({ type: 'text' }) status: UserStatus;
  @Column({ type: 'text' }) locale: 'fr' | 'en';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** R-MEMB what signs in, shared by every membership of the person: e-mail, password, TOTP, lockout. */
@Entity('identities')
export class IdentityEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() email: string;
  @Column({ name: 'password_hash', type: 'text', nullable: true }) passwordHash: string | null;
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true }) passwordChangedAt: Date | null;
  @Column({ name: 'totp_secret_enc', type: 'text', nullable: true }) totpSecretEnc: string | null;
  @Column({ name: 'totp_pending_enc', type: 'text', nullable: true }) totpPendingEnc: string | null;
  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true }) totpEnabledAt: Date | null;
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true }) totpLastStep: string | null;
  @Column({ name: 'failed_attempts', type: 'int' }) failedAttempts: number;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The credentials of an identity, as a membership is read with them. */
export type Credentials = Omit<IdentityEntity, 'id' | 'email' | 'createdAt' | 'updatedAt'>;

/** A membership read with its identity's credentials: what sign-in and the second factor work on. */
export type Person = UserEntity & Credentials;

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column() name: string;
  @Column({ type: 'text', array: true }) scopes: ApiKeyScope[];
  @Column() prefix: string;
  @Column({ name: 'key_hash' }) keyHash: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
}

export const IDENTITY_ENTITIES = [TenantEntity, UserEntity, IdentityEntity, ApiKeyEntity];
