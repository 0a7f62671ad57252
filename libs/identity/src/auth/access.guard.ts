import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { DomainError, ForbiddenError, hasRole, isServiceUnavailable, Principal } from '@app/core';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { IdentityErrors } from '../errors';
import { ACCESS_RULE, AccessRule } from './access.decorators';

type Request = FastifyRequest & { principal?: Principal; user?: Principal };

/**
 * The one place where callers are identified and routes are closed by default: people through
 * passport-jwt (then their session), gateways through their API key. A route without an access
 * rule answers 403 to everybody, so a forgotten decorator fails safe.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [ctx.getHandler(), ctx.getClass()]);
    if (rule?.kind === 'public') return true;
    const request = ctx.switchToHttp().getRequest<Request>();
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) {
      request.principal = await this.apiKeys.authenticate(apiKey);
    } else if (rule?.kind === 'gateway' && !request.headers.authorization) {
      // R-L10N a gateway has no access token: it is told its API key is missing.
      throw IdentityErrors.error('API_KEY_MISSING');
    } else {
      await super.canActivate(ctx);
      request.principal = request.user;
    }
    const principal = request.principal!;
    if (!rule) throw new ForbiddenError(IdentityErrors.text('ROUTE_WITHOUT_RULE'));
    if (rule.kind === 'gateway') {
      if (principal.kind !== 'gateway' || !principal.scopes.includes(rule.scope)) {
        throw new ForbiddenError(IdentityErrors.text('API_KEY_SCOPE_MISSING', { scope: rule.scope }));
      }
      return true;
    }
    if (!hasRole(principal, ...rule.roles)) throw new ForbiddenError();
    return true;
  }

  override handleRequest<T>(error: unknown, principal: T): T {
    // R-INT: a session that could not be read (database away) is a 503, not a sign-out.
    if (error instanceof DomainError || isServiceUnavailable(error)) throw error;
    if (error || !principal) throw IdentityErrors.error('INVALID_TOKEN');
    return principal;
  }
}
