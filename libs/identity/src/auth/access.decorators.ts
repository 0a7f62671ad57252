import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiKeyScope, Principal, Role, TenantScope, UnauthorizedError } from '@app/core';

export const ACCESS_RULE = Symbol('ACCESS_RULE');

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'roles'; roles: Role[] }
  | { kind: 'gateway'; scope: ApiKeyScope };

/** No credentials needed (sign-in steps, health). */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);
/** A signed-in person holding one of these roles. Every non-public route must say who may call it. */
export const Allow = (...roles: Role[]) => SetMetadata(ACCESS_RULE, { kind: 'roles', roles } satisfies AccessRule);
/** A gateway API key holding this scope. */
export const Gateway = (scope: ApiKeyScope) => SetMetadata(ACCESS_RULE, { kind: 'gateway', scope } satisfies AccessRule);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest().principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError();
  return principal;
});

/** The tenant (and, for contractor people, the company) every query of this request is limited to. */
export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const principal = ctx.switchToHttp().getRequest().principal as Principal | undefined;
  if (!principal?.tenantId) throw new UnauthorizedError('NO_TENANT', 'This action needs a tenant');
  return principal.kind === 'user'
    ? { tenantId: principal.tenantId, contractorId: principal.contractorId }
    : { tenantId: principal.tenantId };
});
