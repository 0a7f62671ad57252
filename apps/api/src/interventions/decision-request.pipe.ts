import { Injectable, PipeTransform } from '@nestjs/common';
import { isStorableInstant, parseInstant, validationPipe } from '@app/core';
import type { DecisionInput } from '@app/interventions';
import { DecisionRequestDto } from './interventions.dto';

const FIELDS = new Set(['account', 'resource', 'at', 'accessType']);
/**
 * Characters that class-validator's @Length does not count one for one (surrogate pairs, emoji
 * presentation selectors): a string holding one is left to it.
 */
const UNEVEN_LENGTH = /[\uD800-\uDFFF\uFE0E\uFE0F]/;

function plainText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && !UNEVEN_LENGTH.test(value);
}

/**
 * The body of an access decision when it is plainly valid (DecisionRequestDto's rules, checked by
 * hand), else undefined. Conservative: it only accepts what class-validator accepts, and answers
 * the same values (`at` read by parseInstant, like @IsInstant()).
 */
export function plainDecisionRequest(body: unknown): DecisionInput | undefined {
  if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) return undefined;
  const { account, resource, at, accessType } = body as Record<string, unknown>;
  if (!plainText(account, 320) || !plainText(resource, 200)) return undefined;
  if (accessType !== undefined && accessType !== 'remote' && accessType !== 'onsite') return undefined;
  if (at === undefined) return { account, resource, accessType };
  const instant = typeof at === 'string' ? parseInstant(at) : undefined;
  return isStorableInstant(instant) ? { account, resource, at: instant, accessType } : undefined;
}

/**
 * R-ART36 hot path: a plainly valid body skips class-validator (a tenth of a decision's CPU); anything else goes
 * through DecisionRequestDto, so a bad body gets the same 400. See docs/adr/access-decision-path.md.
 */
@Injectable()
export class DecisionRequestPipe implements PipeTransform<unknown, DecisionInput | Promise<DecisionInput>> {
  private readonly full = validationPipe();

  transform(body: unknown): DecisionInput | Promise<DecisionInput> {
    return plainDecisionRequest(body) ?? this.full.transform(body, { type: 'body', metatype: DecisionRequestDto, data: undefined });
  }
}
