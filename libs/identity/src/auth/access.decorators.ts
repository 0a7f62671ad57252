import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiKeyScope, Principal, Role, TenantScope, UnauthorizedError } from '@app/core';
import { IdentityErrors } from '../errors';

export const ACCESS_RULE = Symbol('ACCESS_RULE');

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'roles'; roles: Role[] }
  | { kind: 'gateway'; scope: ApiKeyScope };

/**
 * Each operation's access rule in /docs-json (`x-public`, `x-roles`, `x-api-key-scope`), written by the decorator the
 * AccessGuard reads, so the document cannot disagree with what is enforced; the security suite's matrix reads them.
 */
export const ACCESS_EXTENSIONS = { public: 'x-public', roles: 'x-roles', gateway: 'x-api-key-scope' } as const;

/** No credentials needed (sign-in steps, health). */
export const Public = () => applyDecorators(
  SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule), ApiExtension(ACCESS_EXTENSIONS.public, true),
);
/** A signed-in person holding one of these roles. Every non-public route must say who may call it. */
export const Allow = (...roles: Role[]) => applyDecorators(
  SetMetadata(ACCESS_RULE, { kind: 'roles', roles } satisfies AccessRule), ApiExtension(ACCESS_EXTENSIONS.roles, [...new Set(roles)]),
);
/** A gateway API key holding this scope. */
export const Gateway = (scope: ApiKeyScope) => applyDecorators(
  SetMetadata(ACCESS_RULE, { kind: 'gateway', scope } satisfies AccessRule), ApiExtension(ACCESS_EXTENSIONS.gateway, scope),
);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest().principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError();
  return principal;
});

/** The tenant (and, for contractor people, the company) every query of this request is limited to. */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const principal = ctx.switchToHttp().getRequest().principal as Principal | undefined;
  if (!principal?.tenantId) throw IdentityErrors.error('NO_TENANT');
  return principal.kind === 'user'
    ? { tenantId: principal.tenantId, contractorId: principal.contractorId }
    : { tenantId: principal.tenantId };
});
