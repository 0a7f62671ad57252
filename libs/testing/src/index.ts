export { type AppsUnderTest, appsUnderTest, provideAppsUnderTest } from './apps-under-test';
export {
  ADMIN_URL, APP_ROLE, appUrlFor, createTestDatabase, dropTestDatabase, ensureAppRole, templateName, urlFor, withAdmin,
} from './databases';
export { TestContext, type TestOptions } from './test-context';
export { type SignedIn, TEST_PASSWORD } from './sign-in';
export { testEnv, testStart } from './test-env';
export { bodyOf, decodeHeader, type ReceivedMail, SmtpReceiver } from './smtp-receiver';
export { contactsPayload, nextSiret, pdf, REVIEW_STATEMENT, VALID_SIRETS } from './fixtures';
export { acceptInvitation, uploadSigned, validateSignature, World } from './world';
export type { ActiveAccount } from './world';
export { eventually, freePort, waitUntil } from './waiting';
export { OwnPostgres, OwnRedis } from './own-services';
export { type Answer, type ContractDocument, OpenApiContract, OUTSIDE_THE_DOCUMENT, type Verdict } from './contract/openapi-contract';
export { answersChecked, checkAnswersAgainst } from './contract/every-answer';
export { HttpReceiver, type Received, signedBy } from './http-receiver';
