import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '@app/core';

/** R-ART41: what correlation flags (the CHECK of the `anomalies` table lists the same). */
export const ANOMALY_KINDS = ['unknown_account', 'inactive_account', 'outside_window', 'out_of_scope', 'failed_login_burst'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** A failed-login burst: this many failures of one account reference ... */
export const BURST_FAILURES = 5;
/** ... within this many minutes. */
export const BURST_MINUTES = 10;

/** One anomaly as correlation finds it, before it is described and stored. */
export interface AnomalyCandidate {
  kind: AnomalyKind;
  /** The journal entry (connection_events.id). */
  eventId: string;
  /** The gateway's own id of that entry. */
  gatewayEventId: string;
  startedAt: Date;
  outcome: 'success' | 'failure';
  accountRef: string;
  accountId: string | null;
  contractorId: string | null;
  resourceRef: string;
  resourceId: string | null;
  person: string | null;
  resourceName: string | null;
  /** inactive_account: why the account could not connect at that instant. */
  inactive: 'deactivated' | 'suspended' | 'not_active' | null;
  /** inactive_account: since when (deactivation or suspension). */
  inactiveSince: Date | null;
  /** failed_login_burst: the failures counted and when the first of them happened. */
  failures: number | null;
  burstFrom: Date | null;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-14 22:05" on the tenant's wall clock: the RSSI reads local times. */
export function localTime(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The stored text, in French like the charter: who, what, where, when, and which rule. */
export function describeAnomaly(c: AnomalyCandidate, timeZone: string): string {
  const when = `le ${localTime(c.startedAt, timeZone)} (${timeZone})`;
  const who = c.person ? `${c.person} (${c.accountRef})` : `« ${c.accountRef} »`;
  const where = c.resourceName ? `« ${c.resourceName} »` : `« ${c.resourceRef} »`;
  const what = c.outcome === 'success' ? 'connexion réussie' : 'tentative de connexion refusée';
  switch (c.kind) {
    case 'unknown_account':
      return `Compte inconnu : ${what} de ${who} sur ${where} ${when} ; `
        + "aucun compte nominatif de l'établissement ne porte cette référence (articles 28 et 41).";
    case 'inactive_account': {
      const since = c.inactiveSince ? ` depuis le ${localTime(c.inactiveSince, timeZone)}` : '';
      const state = c.inactive === 'deactivated' ? `était désactivé${since}`
        : c.inactive === 'suspended' ? `était suspendu${since}` : `n'était pas encore activé`;
      return `Compte inactif : ${what} de ${who} sur ${where} ${when} alors que le compte ${state} (articles 28 et 35).`;
    }
    case 'outside_window':
      return `Connexion hors fenêtre approuvée : ${who} sur ${where} ${when}, `
        + 'sans intervention approuvée nommant ce compte et cette ressource à cet instant (article 36).';
    case 'out_of_scope':
      return c.resourceId
        ? `Connexion hors périmètre déclaré : ${who} sur ${where} ${when}, `
          + 'sans habilitation approuvée en vigueur ce jour-là sur cette ressource (article 31).'
        : `Connexion hors périmètre déclaré : ${who} sur ${where} ${when} ; `
          + "cette ressource n'est pas au catalogue de l'établissement (article 31).";
    case 'failed_login_burst':
      return `Rafale d'échecs de connexion : ${c.failures} échecs pour ${who} en ${BURST_MINUTES} minutes au plus, ` +
        `du ${localTime(c.burstFrom ?? c.startedAt, timeZone)} au ${localTime(c.startedAt, timeZone)} (${timeZone}), dernier sur ${where}.`;
  }
}

export interface StoredAnomaly {
  id: string;
  kind: AnomalyKind;
  eventId: string | null;
  eventStartedAt: Date;
  accountRef: string;
  accountId: string | null;
  contractorId: string | null;
  resourceRef: string | null;
  resourceId: string | null;
  detail: string;
  detectedAt: Date;
  gatewayEventId?: string | null;
  sourceIp?: string | null;
  interventionId?: string | null;
}

export class AnomalyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ANOMALY_KINDS }) kind: AnomalyKind;
  @ApiProperty({ description: 'When the connection (for a burst: the failure that completed it) started' }) startedAt: string;
  @ApiProperty() detectedAt: string;
  @ApiProperty({ description: 'What happened, in words (French)' }) detail: string;
  @ApiProperty({ description: 'The account as the gateway named it (id or e-mail)' }) accountRef: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceRef: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) resourceId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The journal entry (connection event) concerned' })
  connectionId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The gateway's own event id, while the entry is kept" })
  gatewayEventId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceIp: string | null;
}

const iso = (d: Date) => new Date(d).toISOString();

export const toAnomalyView = (r: StoredAnomaly): AnomalyView => ({
  id: r.id, kind: r.kind, startedAt: iso(r.eventStartedAt), detectedAt: iso(r.detectedAt), detail: r.detail, accountRef: r.accountRef,
  accountId: r.accountId, contractorId: r.contractorId, resourceRef: r.resourceRef, resourceId: r.resourceId, connectionId: r.eventId,
  gatewayEventId: r.gatewayEventId ?? null, sourceIp: r.sourceIp ?? null,
});

/** The `data` of an `anomaly.detected` webhook (docs/guide.md "Webhooks"). */
export const toAnomalyWebhook = (r: StoredAnomaly): Record<string, unknown> => ({
  anomalyId: r.id, kind: r.kind, startedAt: iso(r.eventStartedAt), detectedAt: iso(r.detectedAt), detail: r.detail,
  accountRef: r.accountRef, accountId: r.accountId, contractorId: r.contractorId, resourceRef: r.resourceRef, resourceId: r.resourceId,
  connectionId: r.eventId, gatewayEventId: r.gatewayEventId ?? null,
});

export interface JournalConnection {
  id: string;
  eventId: string;
  accountRef: string;
  accountId: string | null;
  person: string | null;
  contractorId: string | null;
  contractorName: string | null;
  resourceRef: string;
  resourceId: string | null;
  resourceName: string | null;
  sourceIp: string | null;
  startedAt: Date;
  endedAt: Date | null;
  outcome: 'success' | 'failure';
  recordingRef: string | null;
  interventionId: string | null;
}

/** One entry of the journal (a session or an attempt), as an auditor searches it or follows it from an intervention (Art. 41, 44). */
export class ConnectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "The gateway's event id" }) eventId: string;
  @ApiProperty() accountRef: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The account holder's name" }) person: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) contractorName: string | null;
  @ApiProperty() resourceRef: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) resourceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Its name in the catalogue' }) resourceName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceIp: string | null;
  @ApiProperty() startedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: 'success' | 'failure';
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Session recording reference (Art. 44)' }) recordingRef: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) interventionId: string | null;
}

export const toConnectionView = (r: JournalConnection): ConnectionView => ({
  id: r.id, eventId: r.eventId, accountRef: r.accountRef, accountId: r.accountId, person: r.person, contractorId: r.contractorId,
  contractorName: r.contractorName, resourceRef: r.resourceRef, resourceId: r.resourceId, resourceName: r.resourceName,
  sourceIp: r.sourceIp, startedAt: iso(r.startedAt), endedAt: r.endedAt ? iso(r.endedAt) : null, outcome: r.outcome,
  recordingRef: r.recordingRef, interventionId: r.interventionId,
});

export class AnomalyPage extends PageOf(AnomalyView) {}

export class ConnectionPage extends PageOf(ConnectionView) {}
