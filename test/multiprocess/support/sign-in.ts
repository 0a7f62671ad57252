import { generate } from 'otplib';
import request from 'supertest';

export interface Session {
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/**
 * Signs a person in through a real API process, like an authenticator app would: password,
 * then the TOTP code of the real clock (the process runs on system time). A code is accepted once
 * per person and 30-second step, so each person signs in this way once per step.
 */
export async function signInThrough(url: string, email: string, password: string, totpSecret: string): Promise<Session> {
  const login = await request(url).post('/v1/auth/login').send({ email, password }).expect(200);
  expect(login.body.next).toBe('verify');
  const code = await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) });
  const tokens = (await request(url).post('/v1/auth/mfa/verify').send({ mfaToken: login.body.mfaToken, code }).expect(200)).body;
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, auth: { Authorization: `Bearer ${tokens.accessToken}` } };
}
