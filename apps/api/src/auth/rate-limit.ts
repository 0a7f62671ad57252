import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMITED = 'prestagate:auth-rate-limited';
/** Routes that take a secret (sign-in, TOTP, tokens, password change) get the per-IP limit AUTH_RATE_LIMIT_PER_MINUTE. */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);
