import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '@app/core';
import { DISABLE_MODES, DRIFT_KINDS, ENTRY_STATES, TEST_STEPS } from './types';
import type { DisableMode, DriftKind, EntryState, TestStep } from './types';
import type { DriftRow } from './provisioning.repository';

export class GroupMappingView {
  @ApiProperty({ format: 'uuid' }) resourceId: string;
  @ApiProperty({ example: 'cn=pacs-users,ou=groups,dc=hopital,dc=fr' }) groupDn: string;
}

/** R-PROV the establishment's connector as the DSI sees it: never the bind password. */
export class ConnectorView {
  @ApiProperty({ example: 'ldaps://ad.hopital.fr:636' }) url: string;
  @ApiProperty({ example: 'cn=prestagate,ou=services,dc=hopital,dc=fr' }) bindDn: string;
  @ApiProperty({ description: 'A bind password is stored (encrypted); it is never shown' }) hasBindSecret: boolean;
  @ApiProperty({ example: 'ou=prestataires,dc=hopital,dc=fr' }) baseDn: string;
  @ApiProperty({ enum: DISABLE_MODES }) disableMode: DisableMode;
  @ApiProperty({ example: 'pwdAccountLockedTime' }) lockAttribute: string;
  @ApiProperty({ description: 'A CA certificate (PEM) is set for the TLS check' }) hasCaCertificate: boolean;
  @ApiProperty({ type: [GroupMappingView] }) groups: GroupMappingView[];
  @ApiProperty() autoCorrect: boolean;
  @ApiProperty() updatedAt: string;
}

export class ConnectorStepView {
  @ApiProperty({ enum: TEST_STEPS }) step: TestStep;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What failed, in plain words, with the directory\'s own message' })
  detail: string | null;
}

/** R-PROV the test of a connector: each step in order; the first failure stops it. */
export class ConnectorTestView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: [ConnectorStepView] }) steps: ConnectorStepView[];
}

/** R-PROV an account's entry in the directory: in step, waiting for the worker, refused or unreachable (message). */
export class EntryStateView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: ENTRY_STATES }) state: EntryState;
  @ApiPropertyOptional({ nullable: true, type: String }) dn: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: [String] }) groups: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The directory\'s message of the last failure' })
  message: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) syncedAt: string | null;
}

/** R-PROV a difference between the directory and Prestagate, for the RSSI. */
export class DriftView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DRIFT_KINDS }) kind: DriftKind;
  @ApiProperty() dn: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The group, for group_without_habilitation' }) groupDn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) accountId: string | null;
  @ApiProperty() detectedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Corrected by Prestagate (automatic correction)' })
  correctedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'No longer seen in the directory' }) resolvedAt: string | null;
}

export class DriftPage extends PageOf(DriftView) {}

/** R-PROV what one reconciliation found (the drift still open) and how much it corrected. */
export class ReconciliationView {
  @ApiProperty({ type: [DriftView] }) drifts: DriftView[];
  @ApiProperty() corrected: number;
}

export function toDriftView(d: DriftRow): DriftView {
  return {
    id: d.id, kind: d.kind, dn: d.dn, groupDn: d.groupDn || null, accountId: d.accountId, detectedAt: d.detectedAt.toISOString(),
    correctedAt: d.correctedAt?.toISOString() ?? null, resolvedAt: d.resolvedAt?.toISOString() ?? null,
  };
}
