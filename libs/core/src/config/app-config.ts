import { createHash, hkdfSync, KeyObject } from 'node:crypto';
import { join, resolve } from 'node:path';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsEmail, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidationError, validateSync,
} from 'class-validator';
import { parseNetwork } from './networks';
import { parsePrivateKey, parsePublicKeys } from './evidence-keys';

export enum NodeEnv {
  Development = 'development',
  Test = 'test',
  Production = 'production',
}

export type PasswordHashCost = 'production' | 'test';

/** The environment as it may be given: strings, checked once at boot. */
class EnvSchema {
  @IsEnum(NodeEnv) @IsOptional() NODE_ENV: NodeEnv = NodeEnv.Development;
  @IsString() @IsOptional() HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) @IsOptional() PORT = 3000;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) @IsOptional() PUBLIC_URL?: string;
  @IsString() @IsOptional() TRUST_PROXY = 'false';
  @IsString() @IsOptional() WEB_DIR = '';
  @IsString() @MinLength(1) DATABASE_URL: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(200) @IsOptional() DATABASE_POOL_SIZE = 10;
  @IsString() @IsOptional() REDIS_URL = 'redis://127.0.0.1:6379';
  @IsString() @IsOptional() QUEUE_PREFIX = 'prestagate';
  @IsString() @IsOptional() SMTP_URL = 'smtp://127.0.0.1:1025';
  @IsEmail() @IsOptional() MAIL_FROM = 'no-reply@prestagate.local';
  @IsString() @MinLength(32, { message: 'APP_SECRET must be at least 32 characters' }) APP_SECRET: string;
  @Type(() => Number) @IsInt() @Min(60) @Max(3600) @IsOptional() ACCESS_TOKEN_TTL_SECONDS = 900;
  @Type(() => Number) @IsInt() @Min(3600) @IsOptional() REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
  @Type(() => Number) @IsInt() @Min(60) @Max(3600) @IsOptional() MFA_TOKEN_TTL_SECONDS = 300;
  @Type(() => Number) @IsInt() @Min(3600) @IsOptional() INVITATION_TTL_SECONDS = 7 * 24 * 3600;
  @Type(() => Number) @IsInt() @Min(1) @Max(100) @IsOptional() INVITATION_RESENDS_PER_HOUR = 5;
  @IsEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) @IsOptional() LOG_LEVEL = 'info';
  @Type(() => Number) @IsInt() @Min(10) @IsOptional() OUTBOX_POLL_MS = 1000;
  @Type(() => Number) @IsInt() @Min(1) @Max(50) @IsOptional() JOB_ATTEMPTS = 12;
  @Type(() => Number) @IsInt() @Min(10) @IsOptional() JOB_BACKOFF_MS = 5000;
  @Type(() => Number) @IsInt() @Min(1) @IsOptional() AUTH_RATE_LIMIT_PER_MINUTE = 20;
  @IsEnum(['production', 'test']) @IsOptional() PASSWORD_HASH_COST: PasswordHashCost = 'production';
  @Type(() => Number) @IsInt() @Min(0) @Max(60_000) @IsOptional() API_KEY_CACHE_MS = 5000;
  @Type(() => Number) @IsInt() @Min(0) @Max(600_000) @IsOptional() DECISION_CACHE_MS = 5000;
  @Type(() => Number) @IsInt() @Min(10) @Max(60_000) @IsOptional() DECISION_FLUSH_MS = 250;
  @Type(() => Number) @IsInt() @Min(1) @Max(50_000) @IsOptional() JOURNAL_MAX_BATCH = 5000;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) @IsOptional() SYSLOG_PORT?: number;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) @IsOptional() SYSLOG_TLS_PORT?: number;
  @IsString() @IsOptional() SYSLOG_TLS_CERT = '';
  @IsString() @IsOptional() SYSLOG_TLS_KEY = '';
  @IsString() @IsOptional() SYSLOG_TLS_CA = '';
  @IsString() @IsOptional() JOURNAL_SPOOL_DIR = '';
  @Type(() => Number) @IsInt() @Min(100) @Max(3_600_000) @IsOptional() SYSLOG_IDLE_TIMEOUT_MS = 300_000;
  @Type(() => Number) @IsInt() @Min(1) @Max(1000) @IsOptional() SYSLOG_MAX_CONNECTIONS_PER_SOURCE = 32;
  @IsString() @IsOptional() METRICS_HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) @IsOptional() METRICS_PORT = 9464;
  @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' }) @IsOptional() METRICS_TOKEN?: string;
  @IsString() @IsOptional() WEBHOOK_ALLOWED_NETWORKS = '';
  @IsIn(['true', 'false']) @IsOptional() SSO_ALLOW_LOOPBACK_HTTP = 'false';
  @IsString() @IsOptional() EVIDENCE_SIGNING_KEY?: string;
  @IsString() @IsOptional() EVIDENCE_PUBLIC_KEYS = '';
  @IsString() @IsOptional() EVIDENCE_CHECKPOINT_DIR = '';
}

export interface AppConfig {
  readonly env: NodeEnv;
  readonly http: { host: string; port: number; publicUrl: string; trustProxy: boolean | string[] };
  /** The built web console the API serves under `/` (empty: dist/web next to the compiled API). */
  readonly web: { dir: string | null };
  readonly database: { url: string; poolSize: number };
  readonly redis: { url: string; queuePrefix: string };
  readonly mail: { smtpUrl: string; from: string };
  readonly auth: {
    accessTokenTtl: number;
    refreshTokenTtl: number;
    mfaTokenTtl: number;
    invitationTtl: number;
    /** R-ART28 how many new invitation links one person may be sent in an hour (a resend beyond is a 429). */
    invitationResendsPerHour: number;
    rateLimitPerMinute: number;
    /** How long a process trusts a gateway API key it has checked (a revocation through this process applies at once). */
    apiKeyCacheMs: number;
    /** R-ART28 argon2id at its production parameters; `test` (cheap) is refused unless NODE_ENV=test. */
    passwordHashCost: PasswordHashCost;
  };
  /** Keys derived from APP_SECRET (HKDF), one per purpose, so that none is reused. */
  readonly keys: { jwt: Buffer; data: Buffer; lookup: Buffer };
  readonly logLevel: string;
  readonly jobs: { outboxPollMs: number; attempts: number; backoffMs: number };
  /** The access-decision hot path: how long a contractor's standing is cached; how often decisions are written. */
  readonly decisions: { cacheMs: number; flushMs: number };
  /**
   * R-ART41: the largest batch accepted; the port of the syslog listener (none by default); R-INT: where
   * the listener spools what it read while PostgreSQL is unreachable, how long a connection may stay
   * silent (or hold half a frame), how many connections one source address may hold.
   */
  readonly journal: {
    maxBatch: number;
    syslogPort: number | null;
    /** RFC 5425: the TLS port with its PEM files (with a CA, client certificates are required). */
    syslogTls: { port: number; cert: string; key: string; ca: string | null } | null;
    spoolDir: string;
    syslogIdleTimeoutMs: number;
    syslogMaxConnectionsPerSource: number;
  };
  /** Prometheus /metrics on its own listener (port 0: none); with a token, scrapes must send it as a bearer token. */
  readonly metrics: { host: string; port: number; token: string | null };
  /** R-NOT: networks that are not public but that webhooks may still reach (the hospital's own SIEM, say). */
  readonly webhooks: { allowedNetworks: string[] };
  /** R-SSO an OpenID issuer on http://127.0.0.1 or localhost is accepted (tests, a provider on the same host); never in production. */
  readonly sso: { allowLoopbackHttp: boolean };
  /**
   * R-INT: the key the worker signs the chains' heads with (worker only), the public keys verify
   * accepts (the signing key's own, plus former keys), and the directory the checkpoints go to.
   */
  readonly evidence: { signingKey: KeyObject | null; publicKeys: KeyObject[]; checkpointDir: string | null };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

function derive(secret: string, purpose: string): Buffer {
  const salt = createHash('sha256').update('prestagate').digest();
  return Buffer.from(hkdfSync('sha256', secret, salt, purpose, 32));
}

/** Reads and validates the environment once; the rest of the code only sees AppConfig. */
export function parseConfig(raw: Record<string, unknown>): AppConfig {
  const known = Object.fromEntries(
    CONFIG_VARIABLES
      .filter((k) => raw[k] !== undefined && raw[k] !== '')
      .map((k) => [k, raw[k]]),
  );
  const env = plainToInstance(EnvSchema, known);
  const errors = validateSync(env, { whitelist: true });
  const networks = env.WEBHOOK_ALLOWED_NETWORKS.split(',').map((n) => n.trim()).filter(Boolean);
  const badNetworks = networks.filter((n) => !parseNetwork(n));
  if (badNetworks.length) {
    errors.push(Object.assign(new ValidationError(), {
      property: 'WEBHOOK_ALLOWED_NETWORKS', constraints: { network: `not a CIDR network or address: ${badNetworks.join(', ')}` },
    }));
  }
  if (env.PASSWORD_HASH_COST === 'test' && env.NODE_ENV !== NodeEnv.Test) {
    errors.push(Object.assign(new ValidationError(), {
      property: 'PASSWORD_HASH_COST', constraints: { cost: 'the test cost is accepted only with NODE_ENV=test' },
    }));
  }
  if (env.SYSLOG_TLS_PORT && (!env.SYSLOG_TLS_CERT || !env.SYSLOG_TLS_KEY)) {
    errors.push(Object.assign(new ValidationError(), {
      property: 'SYSLOG_TLS_PORT', constraints: { tls: 'SYSLOG_TLS_CERT and SYSLOG_TLS_KEY (PEM files) are required with it' },
    }));
  }
  if (env.SSO_ALLOW_LOOPBACK_HTTP === 'true' && env.NODE_ENV === NodeEnv.Production) {
    errors.push(Object.assign(new ValidationError(), {
      property: 'SSO_ALLOW_LOOPBACK_HTTP', constraints: { sso: 'an OpenID issuer in clear http is refused with NODE_ENV=production' },
    }));
  }
  const signingKey = keyOrError(errors, 'EVIDENCE_SIGNING_KEY', () => (
    env.EVIDENCE_SIGNING_KEY ? parsePrivateKey(env.EVIDENCE_SIGNING_KEY) : null
  ));
  const publicKeys = keyOrError(errors, 'EVIDENCE_PUBLIC_KEYS', () => parsePublicKeys(env.EVIDENCE_PUBLIC_KEYS, signingKey));
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return {
    env: env.NODE_ENV,
    http: {
      host: env.HOST, port: env.PORT, publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`, trustProxy: trustProxy(env.TRUST_PROXY),
    },
    web: { dir: env.WEB_DIR || null },
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
    redis: { url: env.REDIS_URL, queuePrefix: env.QUEUE_PREFIX },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    auth: {
      accessTokenTtl: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtl: env.REFRESH_TOKEN_TTL_SECONDS,
      mfaTokenTtl: env.MFA_TOKEN_TTL_SECONDS,
      invitationTtl: env.INVITATION_TTL_SECONDS,
      invitationResendsPerHour: env.INVITATION_RESENDS_PER_HOUR,
      rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      apiKeyCacheMs: env.API_KEY_CACHE_MS,
      passwordHashCost: env.PASSWORD_HASH_COST,
    },
    keys: {
      jwt: derive(env.APP_SECRET, 'jwt-signing'),
      data: derive(env.APP_SECRET, 'data-encryption'),
      lookup: derive(env.APP_SECRET, 'lookup-hmac'),
    },
    logLevel: env.LOG_LEVEL,
    jobs: { outboxPollMs: env.OUTBOX_POLL_MS, attempts: env.JOB_ATTEMPTS, backoffMs: env.JOB_BACKOFF_MS },
    decisions: { cacheMs: env.DECISION_CACHE_MS, flushMs: env.DECISION_FLUSH_MS },
    journal: {
      maxBatch: env.JOURNAL_MAX_BATCH,
      syslogPort: env.SYSLOG_PORT ?? null,
      syslogTls: env.SYSLOG_TLS_PORT
        ? { port: env.SYSLOG_TLS_PORT, cert: env.SYSLOG_TLS_CERT, key: env.SYSLOG_TLS_KEY, ca: env.SYSLOG_TLS_CA || null }
        : null,
      spoolDir: resolve(env.JOURNAL_SPOOL_DIR || join('.data', 'journal-spool')),
      syslogIdleTimeoutMs: env.SYSLOG_IDLE_TIMEOUT_MS,
      syslogMaxConnectionsPerSource: env.SYSLOG_MAX_CONNECTIONS_PER_SOURCE,
    },
    metrics: { host: env.METRICS_HOST, port: env.METRICS_PORT, token: env.METRICS_TOKEN ?? null },
    webhooks: { allowedNetworks: networks },
    sso: { allowLoopbackHttp: env.SSO_ALLOW_LOOPBACK_HTTP === 'true' },
    evidence: { signingKey, publicKeys: publicKeys ?? [], checkpointDir: env.EVIDENCE_CHECKPOINT_DIR || null },
  };
}

/** A key read from the environment, or the reason it cannot be read, added to `errors` (never the key itself). */
function keyOrError<T>(errors: ValidationError[], property: string, read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    errors.push(Object.assign(new ValidationError(), { property, constraints: { key: (error as Error).message } }));
    return null;
  }
}

/**
 * Which proxies may set X-Forwarded-For (and so the client address that rate limits count):
 * none by default, `true` for all, or a comma list of addresses/CIDRs (the load balancers).
 */
function trustProxy(value: string): boolean | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** The same validation as the config module, for the few things needed before Nest starts (the HTTP adapter). */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return parseConfig({ ...process.env, ...defined });
}

/** Names of every environment variable the service reads (for docs/operations.md). */
export const CONFIG_VARIABLES = Object.keys(new EnvSchema())
  .concat(['DATABASE_URL', 'APP_SECRET', 'PUBLIC_URL', 'SYSLOG_PORT', 'SYSLOG_TLS_PORT', 'METRICS_TOKEN', 'EVIDENCE_SIGNING_KEY']);
