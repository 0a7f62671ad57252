import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, RequestMethod, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { Clock } from '../clock/clock';
import { canonicalJson } from '../audit/canonical';
import { CoreErrors } from '../errors';
import { Principal } from '../tenancy/principal';
import { Secrets } from '../crypto/secrets';
import { IdempotencyRepository, StoredAnswer } from './idempotency.repository';

const KEEP_MS = 24 * 3600_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ANSWERS_NOW = 'prestagate:answers-now';

/**
 * A POST asking about the present (an access decision): its Idempotency-Key is ignored, since a stored "allow"
 * replayed hours later would open access to an account suspended or deactivated since (R-ART35, R-ART36).
 */
export const AnswersNow = () => SetMetadata(ANSWERS_NOW, true);

/**
 * API conventions (docs/adr/idempotency-keys.md): the first answer to a call with an `Idempotency-Key` is kept
 * 24 hours per caller and key and replayed to a retry of the same request; another request is a 422, a retry
 * while the first runs a 409; a failed call keeps nothing.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly secrets: Secrets,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !UNSAFE.has(request.method) || !request.principal) return next.handle();
    if (Reflect.getMetadata(ANSWERS_NOW, ctx.getHandler())) return next.handle();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw CoreErrors.invalid('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key');
    }
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const caller = request.principal.kind === 'user' ? `user:${request.principal.userId}` : `key:${request.principal.apiKeyId}`;
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined)
      ?? (Reflect.getMetadata(METHOD_METADATA, ctx.getHandler()) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK);
    return from(this.run(caller, key, hash, status, reply, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }

  private async run(
    caller: string, key: string, hash: string, status: number, reply: FastifyReply, handle: () => Promise<unknown>,
  ): Promise<unknown> {
    const now = this.clock.now();
    await this.repo.forgetOlder(caller, key, new Date(now.getTime() - KEEP_MS));
    const stored = await this.repo.find(caller, key);
    if (stored) return this.replay(stored, hash, reply);
    if (!(await this.repo.claim(caller, key, hash, now))) throw CoreErrors.error('IDEMPOTENCY_IN_PROGRESS');
    try {
      const body = await handle();
      const responseEnc = this.secrets.encrypt(JSON.stringify(body ?? null));
      await this.repo.complete(caller, key, { statusCode: status, responseEnc }, this.clock.now());
      return body;
    } catch (error) {
      await this.repo.release(caller, key);
      throw error;
    }
  }

  private replay(stored: StoredAnswer, hash: string, reply: FastifyReply): unknown {
    if (stored.requestHash !== hash) throw CoreErrors.error('IDEMPOTENCY_KEY_REUSED');
    if (stored.statusCode === null) throw CoreErrors.error('IDEMPOTENCY_IN_PROGRESS');
    reply.status(stored.statusCode).header('idempotent-replayed', 'true');
    return stored.responseEnc ? (JSON.parse(this.secrets.decrypt(stored.responseEnc)) ?? undefined) : undefined;
  }
}
