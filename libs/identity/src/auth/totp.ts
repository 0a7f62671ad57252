import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { Clock } from '@app/core';

export interface TotpCheck {
  valid: boolean;
  /** The 30-second step the code belongs to: stored so it cannot be used again. */
  timeStep?: number;
}

/** R-ART28: RFC 6238 TOTP (SHA-1, 6 digits, 30 s), one step of tolerance either side, no replay. */
@Injectable()
export class Totp {
  constructor(private readonly clock: Clock) {}

  newSecret(): string {
    return generateSecret();
  }

  uri(issuer: string, label: string, secret: string): string {
    return generateURI({ issuer, label, secret });
  }

  async check(secret: string, code: string, lastUsedStep: number | null): Promise<TotpCheck> {
    if (!/^\d{6}$/.test(code)) return { valid: false };
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(this.clock.now().getTime() / 1000),
      epochTolerance: 30,
      ...(lastUsedStep !== null ? { afterTimeStep: lastUsedStep } : {}),
    });
    return result.valid && 'timeStep' in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
  }
}
