import { SignedIn, SmtpReceiver, TestContext, TestOptions, World } from '@app/testing';

/** What most API test files run on: the API with a worker, the SMTP receiver it sends to and, when named, a World. */
export interface ApiRig {
  ctx: TestContext;
  /** Undefined when `mail` is false. */
  smtp: SmtpReceiver;
  /** Built when `world` names it; undefined otherwise. */
  w: World;
  /** Set when `tenant` is true: a new establishment and its DSI, signed in. */
  tenantId: string;
  dsi: SignedIn;
}

export interface ApiRigOptions extends TestOptions {
  /** The World's name (its company, people and e-mails carry it). */
  world?: string;
  /** false: no SMTP receiver (and, unless `worker` says otherwise, no worker: nothing is sent). */
  mail?: boolean;
  /** true: a new establishment with its DSI signed in (`rig.tenantId`, `rig.dsi`), before the World. */
  tenant?: boolean;
}

/** Registers the beforeAll / afterAll that start and stop a rig; its fields are set once beforeAll has run. */
export function useApi(options: ApiRigOptions = {}): ApiRig {
  const rig = {} as ApiRig;
  const { world, mail = true, worker = mail, tenant, ...start } = options;
  beforeAll(async () => {
    if (mail) rig.smtp = await SmtpReceiver.start();
    const env = mail ? { SMTP_URL: rig.smtp.url, ...start.env } : start.env;
    rig.ctx = await TestContext.start({ ...start, env, worker });
    if (tenant) ({ tenantId: rig.tenantId, dsi: rig.dsi } = await rig.ctx.tenantWithDsi());
    if (world) rig.w = await World.build(rig.ctx, rig.smtp, world);
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
