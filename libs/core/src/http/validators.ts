import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

/** A boolean written as text (query string, multipart field): "true" or "false"; anything else stays as is for @IsBoolean to refuse. */
export const FromBooleanText = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** A real calendar day written YYYY-MM-DD (2026-02-31 is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => {
        // Year 0000 passes JavaScript's Date but not PostgreSQL's (a 500 the security fuzzer found).
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

/** A valid date PostgreSQL can store (what @IsInstant() accepts). */
export function isStorableInstant(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() >= EARLIEST_INSTANT;
}

/**
 * An instant (after `@Type(() => Date)`) that PostgreSQL can store. JavaScript dates reach year -271821,
 * PostgreSQL's timestamps only 4713 BC: such a date was a 500 from the database (the security fuzzer
 * found it). Later than that, every JavaScript date fits. Use it instead of @IsDate() for every instant.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: isStorableInstant,
      defaultMessage: () => '$property must be an ISO 8601 instant from 4712 BC on',
    },
  }, options);
}

/**
 * Like @IsOptional(), but only for an absent field: `null` is validated (and refused) like any other value.
 * For fields a service reads as "given or not" (`!== undefined`), where a null used to end as a 500.
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}
