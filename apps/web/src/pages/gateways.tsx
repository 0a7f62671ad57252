import { Fragment, ReactNode, useId, useState } from 'react';
import { api, apiDocument, ApiKey, at, ok, okAs, Webhook } from '../api';
import { ConfirmAction } from '../confirm';
import { CheckboxGroup, Field, formBody, FormState, FormStatus, Submit, useForm, Values } from '../forms';
import { useI18n } from '../i18n';
import { MESSAGES, MessageKey } from '../messages';
import { useSession } from '../session';
import { PagedList, PagedTable } from '../table';
import { Badge, PageTitle, ProblemBox, Section, useLoad, usePaged } from '../ui';

/** The OpenAPI document's enums the forms offer (`/docs-json`): the API says which scopes and events it knows. */
interface OpenApiDocument {
  components?: { schemas?: Record<string, { properties?: Record<string, { items?: { enum?: string[] } }> }> };
}

function useKnownValues(schema: string, property: string) {
  return useLoad(async () => {
    const document = await apiDocument<OpenApiDocument>();
    return document.components?.schemas?.[schema]?.properties?.[property]?.items?.enum ?? [];
  }, [schema, property]);
}

/**
 * A code of the API in words when the console knows it (`${prefix}.${code}`), the code beside it (what a receiver
 * or a gateway is sent; `translate="no"`: an identifier, not text), else the code alone.
 */
function useNamed(prefix: string): (code: string) => ReactNode {
  const { t } = useI18n();
  return (code) => {
    const key = `${prefix}.${code}` as MessageKey;
    const raw = <code translate="no">{code}</code>;
    return key in MESSAGES ? <>{t(key)} ({raw})</> : raw;
  };
}

const joined = (nodes: ReactNode[]) => nodes.map((node, i) => <Fragment key={i}>{i > 0 && ', '}{node}</Fragment>);

/**
 * A credential the API gives once (a gateway key, a webhook's signing secret): shown with a warning
 * and a copy button; it cannot be read again, so the person must store it now.
 */
function ShownOnce({ title, value, onClose }: { title: string; value: string; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard (a page served over plain http, or refused): the value is selected for a manual copy.
      const selection = window.getSelection();
      const node = document.getElementById(id);
      if (selection && node) selection.selectAllChildren(node);
      setCopied('no');
    }
  };
  return (
    <div className="card once" role="region" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="alert alert-warn">{t('gateway.once')}</p>
      <p><code id={id} className="secret" translate="no">{value}</code></p>
      <div className="row">
        <button type="button" className="primary" onClick={() => void copy()}>{t('gateway.copy')}</button>
        <button type="button" onClick={onClose}>{t('gateway.stored')}</button>
      </div>
      {copied && <p role="status" className="muted">{t(copied === 'yes' ? 'gateway.copied' : 'gateway.copyManually')}</p>}
    </div>
  );
}

/** R-ART36: the gateways' credentials (bastion, VPN), created by the DSI with their scopes, the key shown once, revoked at once. */
export function ApiKeysPage() {
  const { t, dateTime } = useI18n();
  const { has } = useSession();
  const keys = usePaged((cursor, limit) => api.GET('/v1/api-keys', { params: { query: { cursor, limit } } }), []);
  const scope = useNamed('scope');
  return (
    <>
      <PageTitle>{t('apiKeys.title')}</PageTitle>
      {has('dsi') && <NewApiKey onDone={keys.reload} />}
      <Section id="keys" title={t('apiKeys.list')}>
        <PagedTable paged={keys} empty={t('apiKeys.none')} columns={[
          { header: t('field.name'), cell: (k) => <>{k.name} <code className="muted" translate="no">{k.prefix}</code></> },
          { header: t('apiKeys.scopes'), cell: (k) => joined(k.scopes.map(scope)) },
          { header: t('gateway.created'), cell: (k) => dateTime(k.createdAt) },
          { header: t('apiKeys.lastUsed'), cell: (k) => k.lastUsedAt ? dateTime(k.lastUsedAt) : t('apiKeys.neverUsed') },
          { header: t('field.status'), cell: (k) => k.revokedAt
            ? <Badge tone="neutral">{t('gateway.revokedOn', { at: dateTime(k.revokedAt) })}</Badge>
            : <Badge tone="ok">{t('gateway.active')}</Badge> },
          { header: t('field.actions'), hidden: !has('dsi'), cell: (k) => !k.revokedAt && (
            <RevokeButton revoke={() => ok(api.DELETE('/v1/api-keys/{id}', at(k.id)))} confirm={t('apiKeys.revokeConfirm', { name: k.name })} done={t('act.apiKey.revoked', { name: k.name })}
              onDone={keys.reload} />
          ) },
        ]} />
      </Section>
    </>
  );
}

function NewApiKey({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  return (
    <CreateShowingSecret id="new-key" title={t('apiKeys.create')} help={t('apiKeys.help')}
      choices={{ schema: 'CreateApiKeyDto', name: 'scopes', legend: t('apiKeys.scopes'), prefix: 'scope' }}
      field={(form) => <Field form={form} name="name" label={t('field.name')} required maxLength={100} />}
      create={(values) => okAs<ApiKey & { key: string }>(api.POST('/v1/api-keys', { body: formBody({ name: values.name, scopes: values.scopes ?? [] }) }))}
      shown={(answer) => ({ title: t('apiKeys.createdKey', { name: answer.name }), value: answer.key })}
      submit={t('apiKeys.submit')} onDone={onDone} />
  );
}

/**
 * A creation form whose answer carries a credential shown once (a key, a secret): a text field, the
 * choices the API knows (its OpenAPI enum) as checkboxes, the API's messages beside them.
 */
function CreateShowingSecret<A>({ id, title, help, choices, field, create, shown, submit, onDone }: {
  id: string; title: string; help: string;
  choices: { schema: string; name: string; legend: string; prefix: string };
  field: (form: FormState) => ReactNode;
  create: (values: Values) => Promise<A>;
  shown: (answer: A) => { title: string; value: string };
  submit: string;
  onDone: () => void;
}) {
  const form = useForm();
  const known = useKnownValues(choices.schema, choices.name);
  const named = useNamed(choices.prefix);
  const [once, setOnce] = useState<{ title: string; value: string } | null>(null);
  return (
    <Section id={id} title={title}>
      {once && <ShownOnce title={once.title} value={once.value} onClose={() => setOnce(null)} />}
      <form noValidate onSubmit={form.onSubmit(async (values, element) => {
        setOnce(shown(await create(values)));
        element.reset();
        onDone();
      })}>
        <p className="muted">{help}</p>
        <FormStatus form={form} />
        <ProblemBox problem={known.problem} />
        {field(form)}
        {known.data && <CheckboxGroup form={form} name={choices.name} legend={choices.legend} options={known.data.map((v) => ({ value: v, label: named(v) }))} />}
        <Submit form={form}>{submit}</Submit>
      </form>
    </Section>
  );
}

/** `revoke()` once confirmed (a revocation cannot be undone), then `done` announced. */
function RevokeButton({ revoke, confirm, done, onDone }: { revoke: () => Promise<unknown>; confirm: string; done: string; onDone: () => void }) {
  const { t } = useI18n();
  return <ConfirmAction tone="danger" label={t('action.revoke')} consequence={confirm} success={done} act={revoke} onDone={onDone} />;
}

/** R-NOT: downstream systems (IAM, SIEM, bastion) told of events; the DSI subscribes them, the RSSI reads the list. */
export function WebhooksPage() {
  const { t, dateTime } = useI18n();
  const { has } = useSession();
  const hooks = usePaged((cursor, limit) => api.GET('/v1/webhooks', { params: { query: { cursor, limit } } }), []);
  const event = useNamed('event');
  return (
    <>
      <PageTitle>{t('webhooks.title')}</PageTitle>
      {has('dsi') && <NewWebhook onDone={hooks.reload} />}
      <Section id="webhooks" title={t('webhooks.list')}>
        <PagedList paged={hooks} empty={t('webhooks.none')}>{(items) => (
          <ul className="accounts">{items.map((h) => (
            <li key={h.id} className="account" aria-label={h.url}>
              <div className="account-head">
                <div>
                  <strong className="break">{h.url}</strong>
                  <div className="muted">{joined(h.events.map(event))}</div>
                  <div className="muted">{t('webhooks.createdOn', { at: dateTime(h.createdAt) })}
                    {h.secretRotatedAt && <> · {t('webhooks.rotatedOn', { at: dateTime(h.secretRotatedAt) })}</>}
                    {h.previousSecretValidUntil && !h.revokedAt && <> · {t('webhooks.previousUntil', { at: dateTime(h.previousSecretValidUntil) })}</>}
                  </div>
                </div>
                {h.revokedAt ? <Badge tone="neutral">{t('webhooks.revokedOn', { at: dateTime(h.revokedAt) })}</Badge> : <Badge tone="ok">{t('webhooks.active')}</Badge>}
                {has('dsi') && !h.revokedAt && <RevokeButton revoke={() => ok(api.DELETE('/v1/webhooks/{id}', at(h.id)))} confirm={t('webhooks.revokeConfirm', { url: h.url })} done={t('act.webhook.revoked', { url: h.url })} onDone={hooks.reload} />}
              </div>
              {has('dsi') && !h.revokedAt && <RotateSecret webhook={h} onDone={hooks.reload} />}
              {has('dsi') && <DeliveryLog webhookId={h.id} />}
            </li>
          ))}</ul>
        )}</PagedList>
      </Section>
    </>
  );
}

function NewWebhook({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  return (
    <CreateShowingSecret id="new-webhook" title={t('webhooks.create')} help={t('webhooks.help')}
      choices={{ schema: 'CreateWebhookDto', name: 'events', legend: t('webhooks.events'), prefix: 'event' }}
      field={(form) => <Field form={form} name="url" label={t('webhooks.url')} type="url" required hint={t('webhooks.urlHint')} />}
      create={(values) => ok(api.POST('/v1/webhooks', { body: formBody({ url: values.url ?? '', events: values.events ?? [] }) }))}
      shown={(answer) => ({ title: t('webhooks.secretOf', { url: answer.url }), value: answer.secret })}
      submit={t('webhooks.submit')} onDone={onDone} />
  );
}

function RotateSecret({ webhook, onDone }: { webhook: Webhook; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <details>
      <summary>{t('webhooks.rotate')}</summary>
      {secret && <ShownOnce title={t('webhooks.newSecretOf', { url: webhook.url })} value={secret} onClose={() => setSecret(null)} />}
      <form className="subform" noValidate onSubmit={form.onSubmit(async (values) => {
        const grace = { gracePeriodHours: hours(values.gracePeriodHours) };
        const answer = await ok(api.POST('/v1/webhooks/{id}/rotate-secret', { ...at(webhook.id), body: formBody(grace) }));
        setSecret(answer.secret);
        onDone();
      })}>
        <FormStatus form={form} />
        <Field form={form} name="gracePeriodHours" label={t('webhooks.grace')} type="number" min={0} max={168} step={1} defaultValue={24} hint={t('webhooks.graceHint')} />
        <Submit form={form}>{t('webhooks.rotateSubmit')}</Submit>
      </form>
    </details>
  );
}

/** The grace period as the API wants it: a number of hours (the API says why a value is refused). */
function hours(value: unknown): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : String(value);
}

/** The webhook's delivery log, newest attempt first, read only when opened. */
function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('webhooks.deliveries')}</summary>
      {open && <Deliveries webhookId={webhookId} />}
    </details>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { t, dateTime } = useI18n();
  const deliveries = usePaged((cursor, limit) => api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: webhookId }, query: { cursor, limit } } }), [webhookId]);
  const event = useNamed('event');
  return (
    <>
      <div className="row"><button type="button" onClick={deliveries.reload} disabled={deliveries.loading}>{t('action.refresh')}</button></div>
      <PagedTable paged={deliveries} empty={t('webhooks.noDeliveries')} label={t('webhooks.deliveries')} columns={[
        { header: t('webhooks.attemptedAt'), cell: (d) => dateTime(d.attemptedAt) },
        { header: t('webhooks.event'), cell: (d) => event(d.event) },
        { header: t('webhooks.attempt'), cell: (d) => d.attempt },
        { header: t('field.status'), cell: (d) => <Badge tone={d.ok ? 'ok' : 'bad'}>{d.statusCode ?? t('webhooks.noAnswer')}</Badge> },
        { header: t('webhooks.error'), cell: (d) => d.error ?? '—' },
        { header: t('webhooks.duration'), cell: (d) => t('webhooks.ms', { ms: d.durationMs }) },
      ]} />
    </>
  );
}
