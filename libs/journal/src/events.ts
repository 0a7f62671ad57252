import { isIP } from 'node:net';
import { parseInstant } from '@app/core';

/** One connection event as a gateway sends it (R-ART41, Art. 44 for the recording reference). */
export interface IncomingEvent {
  eventId: string;
  account: string;
  resource: string;
  sourceIp: string | null;
  startedAt: Date;
  endedAt: Date | null;
  outcome: 'success' | 'failure';
  recordingRef: string | null;
}

export interface Rejection {
  index: number;
  error: string;
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim().length > 0 && v.length <= max ? v.trim() : null);

/**
 * What PostgreSQL would refuse or change in a text column (R-INT: one such line must not fail its
 * batch): a NUL character (refused, 22021) and an unpaired UTF-16 surrogate (stored as U+FFFD).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// R-INT strict ISO 8601 with the offset: a time without one would be read in the server's zone.
const instant = (v: unknown): Date | null => (typeof v === 'string' ? parseInstant(v) ?? null : null);

/** Checks one event by hand (fast: ingestion handles thousands per request); returns it or why not. */
export function parseEvent(raw: unknown): IncomingEvent | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'an event is a JSON object';
  const e = raw as Record<string, unknown>;
  const unstorable = Object.keys(e).find((k) => typeof e[k] === 'string' && UNSTORABLE.test(e[k] as string));
  if (unstorable) return `${unstorable} contains a NUL character or an unpaired surrogate`;
  const eventId = str(e.eventId, 200);
  if (!eventId) return 'eventId is required (1 to 200 characters)';
  const account = str(e.account, 320);
  if (!account) return 'account is required (account id or e-mail)';
  const resource = str(e.resource, 200);
  if (!resource) return 'resource is required (resource id or external id)';
  let sourceIp: string | null = null;
  if (e.sourceIp !== undefined && e.sourceIp !== null) {
    // A zone index (fe80::1%eth0) passes isIP but not PostgreSQL's inet.
    if (typeof e.sourceIp !== 'string' || !isIP(e.sourceIp) || e.sourceIp.includes('%')) return 'sourceIp must be an IPv4 or IPv6 address';
    sourceIp = e.sourceIp;
  }
  const startedAt = instant(e.startedAt);
  if (!startedAt) return 'startedAt must be an ISO 8601 instant';
  let endedAt: Date | null = null;
  if (e.endedAt !== undefined && e.endedAt !== null) {
    endedAt = instant(e.endedAt);
    if (!endedAt) return 'endedAt must be an ISO 8601 instant';
    if (endedAt < startedAt) return 'endedAt is before startedAt';
  }
  if (e.outcome !== 'success' && e.outcome !== 'failure') return 'outcome must be success or failure';
  let recordingRef: string | null = null;
  if (e.recordingRef !== undefined && e.recordingRef !== null) {
    recordingRef = str(e.recordingRef, 500);
    if (!recordingRef) return 'recordingRef must be a string of 500 characters at most';
  }
  const known = new Set(['eventId', 'account', 'resource', 'sourceIp', 'startedAt', 'endedAt', 'outcome', 'recordingRef']);
  const unknown = Object.keys(e).find((k) => !known.has(k));
  if (unknown) return `unknown field "${unknown}"`;
  return { eventId, account, resource, sourceIp, startedAt, endedAt, outcome: e.outcome, recordingRef };
}

/** An NDJSON body: one event per line; a line that is not JSON is rejected alone. */
export function splitNdjson(body: string): unknown[] {
  return body.split('\n').filter((line) => line.trim().length > 0).map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      return Symbol.for('malformed');
    }
  });
}

export const MALFORMED = Symbol.for('malformed');
