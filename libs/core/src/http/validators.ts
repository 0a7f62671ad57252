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

/**
 * An instant (after `@Type(() => Date)`) between years 0001 and 9999. JavaScript dates reach year
 * -271821, PostgreSQL's only 4713 BC: without this bound such a date was a 500 from the database (the
 * security fuzzer found it). Use it instead of @IsDate() for every instant a request carries.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime())
        && value.getUTCFullYear() >= 1 && value.getUTCFullYear() <= 9999,
      defaultMessage: () => '$property must be an ISO 8601 instant between the years 0001 and 9999',
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
