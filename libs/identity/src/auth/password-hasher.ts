import { Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { APP_CONFIG, AppConfig, PasswordHashCost } from '@app/core';

/**
 * R-ART28: argon2id at OWASP's parameters (19 MiB, 2 iterations, 1 lane). The tests' cost is refused
 * by the configuration outside NODE_ENV=test; a hash carries its parameters, so either verifies.
 */
export const PASSWORD_HASH_PARAMETERS: Record<PasswordHashCost, { memoryCost: number; timeCost: number; parallelism: number }> = {
  production: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  test: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
};

/** A password's argon2id hash at the given cost (scripts that run without the API's configuration). */
export function hashPassword(password: string, cost: PasswordHashCost = 'production'): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id, ...PASSWORD_HASH_PARAMETERS[cost] });
}

@Injectable()
export class PasswordHasher {
  /** Verified against when the e-mail is unknown, so timing does not tell which accounts exist. */
  private dummy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'auth'>) {}

  hash(password: string): Promise<string> {
    return hashPassword(password, this.config.auth.passwordHashCost);
  }

  async verify(hashed: string | null, password: string): Promise<boolean> {
    if (!hashed) {
      this.dummy ??= this.hash('not-a-real-password');
      await verify(await this.dummy, password).catch(() => false);
      return false;
    }
    return verify(hashed, password).catch(() => false);
  }
}
