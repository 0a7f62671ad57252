import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, ValidationFailed } from './domain-error';
import labels from './field-labels.json';
import messages from './validation-messages.json';
import { Localised, Params, registerTexts, Text } from './text';

registerTexts('validation', messages);

/** R-L10N a field as the form names it ("le libellé de version"); a field without a label by its name. */
export function fieldLabel(property: string): Localised {
  return (labels as Record<string, Localised>)[property] ?? { fr: property, en: property };
}

/**
 * class-validator errors as the problem+json `errors` list (nested fields joined with dots), one per field and constraint;
 * a missing field is said once ("est obligatoire"), a value of the wrong type by its type, not once per rule it breaks.
 */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const names = Object.keys(e.constraints ?? {});
    const missing = names.length > 0 && !names.includes('whitelistValidation') && valueOf(e) == null;
    // A value of the wrong type is told its type, not the bounds it cannot be measured against.
    const typeRules = names.filter((name) => TYPE_RULES.has(name));
    const said = missing ? ['isDefined'] : typeRules.length ? typeRules : names;
    const own: FieldError[] = said.map((name) => ({ field, message: constraintText(e, name) }));
    return own.concat(fieldErrors(e.children ?? [], field));
  });
}

const TYPE_RULES = new Set(['isString', 'isInt', 'isBoolean', 'isArray', 'isObject', 'isUuid', 'isInstant', 'isCalendarDate', 'isEmail']);

function valueOf(e: ValidationError): unknown {
  return e.value ?? (e.target as Record<string, unknown> | undefined)?.[e.property];
}

/** The constraint's message with its values (the bounds of a length, the allowed values) from the DTO's metadata. */
function constraintText(e: ValidationError, name: string): Text {
  if (name === 'whitelistValidation') return { catalogue: 'validation', key: 'unknownField', params: { name: e.property } };
  const args = constraintArgs(e, name);
  const params: Record<string, Params[string]> = { label: fieldLabel(/^\d+$/.test(e.property) ? 'items' : e.property) };
  let key = name;
  if (name === 'isLength') {
    const value = valueOf(e);
    key = typeof value === 'string' && value.length < Number(args[0]) ? 'isLengthMin' : 'isLengthMax';
    Object.assign(params, { min: Number(args[0]), max: Number(args[1] ?? args[0]) });
  } else if (['min', 'minLength', 'arrayMinSize'].includes(name)) params.min = Number(args[0]);
  else if (['max', 'maxLength', 'arrayMaxSize'].includes(name)) params.max = Number(args[0]);
  else if (name === 'isIn') params.values = (args[0] as unknown[] ?? []).join(', ');
  else if (name === 'isEnum') params.values = Object.values((args[0] ?? {}) as object).join(', ');
  else if (name === 'equals') params.value = String(args[0]);
  if (`${key}.${e.property}` in messages) key = `${key}.${e.property}`;
  else if (!(key in messages)) key = 'invalid';
  return { catalogue: 'validation', key, params };
}

function constraintArgs(e: ValidationError, name: string): unknown[] {
  const target = e.target?.constructor;
  if (!target) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === e.property && (m.name === name || m.type === name));
  return (metadata?.constraints as unknown[] | undefined) ?? [];
}

/** The 400 of a list of field problems: "the request has N invalid fields" (fields, not rules broken). */
export function invalidFields(errors: FieldError[]): ValidationFailed {
  const count = new Set(errors.map((e) => e.field)).size;
  return new ValidationFailed({ catalogue: 'core', key: 'VALIDATION_FAILED', params: { count } }, errors);
}

/** A field message of the validation catalogue (R-L10N), for checks made by hand beside class-validator. */
export function fieldText(key: 'unknownField' | 'isDefined', property: string): Text {
  return { catalogue: 'validation', key, params: { name: property, label: fieldLabel(property) } };
}

/** Rejects unknown properties and answers every field problem at once (problem+json `errors`). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    // The target lets the messages read the constraints' values (R-L10N); it is not answered.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => invalidFields(fieldErrors(errors)),
  });
}
