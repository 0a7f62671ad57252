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
  event_id: string;
  /** The gateway's own id of that entry. */
  gateway_event_id: string;
  started_at: Date;
  outcome: 'success' | 'failure';
  account_ref: string;
  account_id: string | null;
  contractor_id: string | null;
  resource_ref: string;
  resource_id: string | null;
  person: string | null;
  resource_name: string | null;
  /** inactive_account: why the account could not connect at that instant. */
  inactive: 'deactivated' | 'suspended' | 'not_active' | null;
  /** inactive_account: since when (deactivation or suspension). */
  inactive_since: Date | null;
  /** failed_login_burst: the failures counted and when the first of them happened. */
  failures: number | null;
  burst_from: Date | null;
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
  const when = `le ${localTime(c.started_at, timeZone)} (${timeZone})`;
  const who = c.person ? `${c.person} (${c.account_ref})` : `« ${c.account_ref} »`;
  const where = c.resource_name ? `« ${c.resource_name} »` : `« ${c.resource_ref} »`;
  const what = c.outcome === 'success' ? 'connexion réussie' : 'tentative de connexion refusée';
  switch (c.kind) {
    case 'unknown_account':
      return `Compte inconnu : ${what} de ${who} sur ${where} ${when} ; aucun compte nominatif de l'établissement ne porte cette référence (articles 28 et 41).`;
    case 'inactive_account': {
      const since = c.inactive_since ? ` depuis le ${localTime(c.inactive_since, timeZone)}` : '';
      const state = c.inactive === 'deactivated' ? `était désactivé${since}` : c.inactive === 'suspended' ? `était suspendu${since}` : `n'était pas encore activé`;
      return `Compte inactif : ${what} de ${who} sur ${where} ${when} alors que le compte ${state} (articles 28 et 35).`;
    }
    case 'outside_window':
      return `Connexion hors fenêtre approuvée : ${who} sur ${where} ${when}, sans intervention approuvée nommant ce compte et cette ressource à cet instant (article 36).`;
    case 'out_of_scope':
      return c.resource_id
        ? `Connexion hors périmètre déclaré : ${who} sur ${where} ${when}, sans habilitation approuvée en vigueur ce jour-là sur cette ressource (article 31).`
        : `Connexion hors périmètre déclaré : ${who} sur ${where} ${when} ; cette ressource n'est pas au catalogue de l'établissement (article 31).`;
    case 'failed_login_burst':
      return `Rafale d'échecs de connexion : ${c.failures} échecs pour ${who} en ${BURST_MINUTES} minutes au plus, ` +
        `du ${localTime(c.burst_from ?? c.started_at, timeZone)} au ${localTime(c.started_at, timeZone)} (${timeZone}), dernier sur ${where}.`;
  }
}

export interface AnomalyRow {
  id: string;
  kind: AnomalyKind;
  event_id: string | null;
  event_started_at: Date;
  account_ref: string;
  account_id: string | null;
  contractor_id: string | null;
  resource_ref: string | null;
  resource_id: string | null;
  detail: string;
  detected_at: Date;
  gateway_event_id?: string | null;
  source_ip?: string | null;
  intervention_id?: string | null;
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
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The journal entry (connection event) concerned' }) connectionId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The gateway's own event id, while the entry is kept" }) gatewayEventId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceIp: string | null;
}

const iso = (d: Date) => new Date(d).toISOString();

export const toAnomalyView = (r: AnomalyRow): AnomalyView => ({
  id: r.id, kind: r.kind, startedAt: iso(r.event_started_at), detectedAt: iso(r.detected_at), detail: r.detail, accountRef: r.account_ref,
  accountId: r.account_id, contractorId: r.contractor_id, resourceRef: r.resource_ref, resourceId: r.resource_id, connectionId: r.event_id,
  gatewayEventId: r.gateway_event_id ?? null, sourceIp: r.source_ip ?? null,
});

/** The `data` of an `anomaly.detected` webhook (docs/guide.md "Webhooks"). */
export const toAnomalyWebhook = (r: AnomalyRow): Record<string, unknown> => ({
  anomalyId: r.id, kind: r.kind, startedAt: iso(r.event_started_at), detectedAt: iso(r.detected_at), detail: r.detail,
  accountRef: r.account_ref, accountId: r.account_id, contractorId: r.contractor_id, resourceRef: r.resource_ref, resourceId: r.resource_id,
  connectionId: r.event_id, gatewayEventId: r.gateway_event_id ?? null,
});

export interface ConnectionRow {
  id: string;
  event_id: string;
  account_ref: string;
  account_id: string | null;
  resource_ref: string;
  resource_id: string | null;
  source_ip: string | null;
  started_at: Date;
  ended_at: Date | null;
  outcome: 'success' | 'failure';
  recording_ref: string | null;
  intervention_id: string | null;
}

/** One session of the journal, as an auditor follows it from an intervention report (Art. 41, 44). */
export class ConnectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "The gateway's event id" }) eventId: string;
  @ApiProperty() accountRef: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiProperty() resourceRef: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) resourceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceIp: string | null;
  @ApiProperty() startedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: 'success' | 'failure';
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Session recording reference (Art. 44)' }) recordingRef: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) interventionId: string | null;
}

export const toConnectionView = (r: ConnectionRow): ConnectionView => ({
  id: r.id, eventId: r.event_id, accountRef: r.account_ref, accountId: r.account_id, resourceRef: r.resource_ref, resourceId: r.resource_id,
  sourceIp: r.source_ip, startedAt: iso(r.started_at), endedAt: r.ended_at ? iso(r.ended_at) : null, outcome: r.outcome,
  recordingRef: r.recording_ref, interventionId: r.intervention_id,
});

export class AnomalyPage extends PageOf(AnomalyView) {}

export class ConnectionPage extends PageOf(ConnectionView) {}
