import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, RequestMethod, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { Clock } from '../clock/clock';
import { Db, isUniqueViolation } from '../database/db';
import { canonicalJson } from '../audit/canonical';
import { ConflictError, DomainError, ValidationFailed } from '../errors/domain-error';
import { Principal } from '../tenancy/principal';
import { Secrets } from '../crypto/secrets';

const KEEP_MS = 24 * 3600_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ANSWERS_NOW = 'prestagate:answers-now';

/**
 * A POST that asks a question about the present (an access decision) rather than changing state: its
 * Idempotency-Key is ignored, never replayed. A stored "allow" replayed hours later would open access
 * to an account suspended or deactivated since (R-ART35, R-ART36).
 */
export const AnswersNow = () => SetMetadata(ANSWERS_NOW, true);

/**
 * API conventions: a state-changing call that a retry could repeat may carry an
 * `Idempotency-Key`. The first answer (status and body) is stored for 24 hours per caller and
 * key, and replayed to a retry with the same request (`Idempotent-Replayed: true`); the same key
 * with another request is a 422; a retry while the first is still running is a 409. A failed
 * call keeps nothing, so it can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secrets: Secrets,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !UNSAFE.has(request.method) || !request.principal) return next.handle();
    if (Reflect.getMetadata(ANSWERS_NOW, ctx.getHandler())) return next.handle();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new ValidationFailed('The Idempotency-Key header is not valid', [{ field: 'Idempotency-Key', message: '1 to 200 visible ASCII characters' }]);
    }
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const caller = request.principal.kind === 'user' ? `user:${request.principal.userId}` : `key:${request.principal.apiKeyId}`;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined)
      ?? (Reflect.getMetadata(METHOD_METADATA, ctx.getHandler()) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK);
    return from(this.run(caller, key, hash, status, reply, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }

  private async run(caller: string, key: string, hash: string, status: number, reply: FastifyReply, handle: () => Promise<unknown>): Promise<unknown> {
    const now = this.clock.now();
    await this.db.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND created_at < $3`, [caller, key, new Date(now.getTime() - KEEP_MS)]);
    const [stored] = await this.db.query<{ request_hash: string; status_code: number | null; response_enc: string | null }>(
      `SELECT request_hash, status_code, response_enc FROM idempotency_keys WHERE caller = $1 AND key = $2`, [caller, key],
    );
    if (stored) return this.replay(stored, hash, reply);
    try {
      await this.db.query(`INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES ($1, $2, $3, $4)`, [caller, key, hash, now]);
    } catch (error) {
      if (isUniqueViolation(error, 'idempotency_keys_pkey')) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running');
      throw error;
    }
    try {
      const body = await handle();
      await this.db.query(
        `UPDATE idempotency_keys SET status_code = $3, response_enc = $4, completed_at = $5 WHERE caller = $1 AND key = $2`,
        [caller, key, status, this.secrets.encrypt(JSON.stringify(body ?? null)), this.clock.now()],
      );
      return body;
    } catch (error) {
      await this.db.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2`, [caller, key]);
      throw error;
    }
  }

  private replay(stored: { request_hash: string; status_code: number | null; response_enc: string | null }, hash: string, reply: FastifyReply): unknown {
    if (stored.request_hash !== hash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 422, 'This Idempotency-Key was used for another request');
    }
    if (stored.status_code === null) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running');
    reply.status(stored.status_code).header('idempotent-replayed', 'true');
    return stored.response_enc ? (JSON.parse(this.secrets.decrypt(stored.response_enc)) ?? undefined) : undefined;
  }
}

