import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { parseInstant } from '../time/instant';

/** A boolean written as text (query string, multipart field): "true" or "false"; anything else stays as is for @IsBoolean to refuse. */
export const FromBooleanText = () => Transform(({ value }: { value: unknown }) => (
  value === 'true' ? true : value === 'false' ? false : value
));

/** A real calendar day written YYYY-MM-DD (2026-02-31 is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => {
        // Year 0000 passes JavaScript's Date but not PostgreSQL's.
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '0001-01-01') return false;
        const d = new Date(`${value}T00:00:00Z`);
        return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
      },
      defaultMessage: () => '$property must be a date written YYYY-MM-DD',
    },
  }, options);
}

/** 4712 BC (astronomical year -4711), a year inside PostgreSQL's range whatever the calendar arithmetic. */
const EARLIEST_INSTANT = Date.UTC(-4711, 0, 1);
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with its offset, such as 2026-03-01T08:00:00Z';

/** A valid date PostgreSQL can store (what @IsInstant() accepts). */
export function isStorableInstant(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() >= EARLIEST_INSTANT;
}

/**
 * R-INT an instant field: strict ISO 8601 with its offset (parseInstant), within what PostgreSQL stores; anything else
 * is a 400 naming the field. Use it instead of `@Type(() => Date)`, never with it: that Date reads almost any text.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  const read = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? parseInstant(value) ?? value : value));
  const check = ValidateBy({
    name: 'isInstant',
    validator: { validate: isStorableInstant, defaultMessage: () => `$property ${INSTANT_MESSAGE}` },
  }, options);
  return (target, key) => {
    read(target, key);
    check(target, key);
  };
}

/** Like @IsInstant() for a field kept as text (a stored policy): a strict ISO 8601 instant. */
export function IsInstantText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstantText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isStorableInstant(parseInstant(value)),
      defaultMessage: () => `$property ${INSTANT_MESSAGE}`,
    },
  }, options);
}

/**
 * Like @IsOptional(), but only for an absent field: `null` is validated (and refused) like any other value.
 * For fields a service reads as "given or not" (`!== undefined`), where a null would reach the database.
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}
