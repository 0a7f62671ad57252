import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMITED = 'prestagate:auth-rate-limited';
/** Sign-in and token routes get the tenant-independent per-IP limit (AUTH_RATE_LIMIT_PER_MINUTE). */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);
