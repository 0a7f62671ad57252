import { SmtpReceiver, TestContext, TestOptions, World } from '@app/testing';

/** What most API test files run on: the API with a worker, the SMTP receiver it sends to and, when named, a World. */
export interface ApiRig {
  ctx: TestContext;
  smtp: SmtpReceiver;
  /** Built when `world` names it; undefined otherwise. */
  w: World;
}

export interface ApiRigOptions extends Omit<TestOptions, 'worker'> {
  /** The World's name (its company, people and e-mails carry it). */
  world?: string;
}

/** Registers the beforeAll / afterAll that start and stop a rig; its fields are set once beforeAll has run. */
export function useApi(options: ApiRigOptions = {}): ApiRig {
  const rig = {} as ApiRig;
  beforeAll(async () => {
    rig.smtp = await SmtpReceiver.start();
    rig.ctx = await TestContext.start({ ...options, env: { SMTP_URL: rig.smtp.url, ...options.env }, worker: true });
    if (options.world) rig.w = await World.build(rig.ctx, rig.smtp, options.world);
  });
  afterAll(async () => {
    await rig.ctx?.close();
    await rig.smtp?.stop();
  });
  return rig;
}

/** describe() over a rig: the body's own beforeAll run after the rig's, its tests read it from `rig`. */
export function describeApi(name: string, options: ApiRigOptions, body: (rig: ApiRig) => void): void {
  describe(name, () => body(useApi(options)));
}
