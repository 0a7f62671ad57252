import { defineErrors } from '@app/core';
import credentialSpecs from './credential-errors.json';
import specs from './errors.json';
import ssoSpecs from './sso-errors.json';

/** Identity's codes: sign-in, sessions, gateway keys (R-ART28), establishments, people, invitations, TOTP resets (errors.json). */
export const IdentityErrors = defineErrors('identity', specs);

/** Two codes a credential change answers with another status than sign-in does (clients know them so). */
export const CredentialChangeErrors = defineErrors('identity.credentials', credentialSpecs);

/** R-SSO sign-in through the establishment's OpenID provider (sso-errors.json). */
export const SsoErrors = defineErrors('identity.sso', ssoSpecs);
