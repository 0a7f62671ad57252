import { api, at, ok } from './api';
import { ConfirmAction } from './confirm';
import { useI18n } from './i18n';
import type { MessageKey } from './messages';

/** The DSI's decisions on what a contractor requests. */
const DECISIONS = {
  account: {
    approve: (id: string) => ok(api.POST('/v1/accounts/{id}/approve', at(id))),
    reject: (id: string, reason: string) => ok(api.POST('/v1/accounts/{id}/reject', { ...at(id), body: { reason } })),
  },
  habilitation: {
    approve: (id: string) => ok(api.POST('/v1/habilitations/{id}/approve', at(id))),
    reject: (id: string, reason: string) => ok(api.POST('/v1/habilitations/{id}/reject', { ...at(id), body: { reason } })),
  },
};

/** Who a decision is about, as its confirmation names them: the person, the company, and for a habilitation the resource and level. */
export type Subject = Record<string, string>;

/** The DSI's decision on a request: approve, or reject with a reason, each confirmed with its consequence, then announced. */
export function ApproveReject({ kind, id, subject, onDone }: { kind: keyof typeof DECISIONS; id: string; subject: Subject; onDone: () => void }) {
  const { t } = useI18n();
  const text = (what: string) => t(`act.${kind}.${what}` as MessageKey, subject);
  return (
    <div className="row">
      <ConfirmAction label={t('action.approve')} consequence={text('approve')} success={text('approved')}
        act={() => DECISIONS[kind].approve(id)} onDone={onDone} />
      <ConfirmAction tone="danger" label={t('action.reject')} reason={t('field.reason')} consequence={text('reject')} success={text('rejected')}
        act={(reason) => DECISIONS[kind].reject(id, reason)} onDone={onDone} />
    </div>
  );
}
