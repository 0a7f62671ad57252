import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailed } from './domain-error';

/** class-validator errors as the problem+json `errors` list (nested fields joined with dots). */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith('property ') ? `unknown field "${e.property}"` : message,
    }));
    return own.concat(fieldErrors(e.children ?? [], field));
  });
}

/** Rejects unknown properties and answers every field problem at once (problem+json `errors`). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const list = fieldErrors(errors);
      return new ValidationFailed(`The request has ${list.length} invalid field(s)`, list);
    },
  });
}
