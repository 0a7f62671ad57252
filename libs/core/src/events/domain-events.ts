import { Injectable } from '@nestjs/common';

/** Events a domain library raises and others react to, inside the same transaction; each library declares its own. */
export interface DomainEventMap {}

type Listener<K extends keyof DomainEventMap> = (event: DomainEventMap[K]) => Promise<void>;

/**
 * A small synchronous hook registry: a listener runs in the emitter's transaction, so the
 * reaction (deactivating accounts when a prestation ends) commits or rolls back with the cause.
 */
@Injectable()
export class DomainEvents {
  private readonly listeners = new Map<keyof DomainEventMap, Listener<never>[]>();

  on<K extends keyof DomainEventMap>(name: K, listener: Listener<K>): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener as Listener<never>]);
  }

  async emit<K extends keyof DomainEventMap>(name: K, event: DomainEventMap[K]): Promise<void> {
    for (const listener of this.listeners.get(name) ?? []) await (listener as Listener<K>)(event);
  }
}
