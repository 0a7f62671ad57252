import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, Equals, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsTimeZone, Matches,
  Max, Min, MinLength, ValidateNested,
} from 'class-validator';
import { IsInstantText } from '@app/core';

export class PasswordPolicy {
  @ApiProperty({ minimum: 8, maximum: 128 }) @IsInt() @Min(8) @Max(128) minLength: number = 12;
  @ApiProperty() @IsBoolean() requireUpper: boolean = true;
  @ApiProperty() @IsBoolean() requireLower: boolean = true;
  @ApiProperty() @IsBoolean() requireDigit: boolean = true;
  @ApiProperty() @IsBoolean() requireSpecial: boolean = true;
}

export class LockoutPolicy {
  @ApiProperty({ minimum: 3, maximum: 20 }) @IsInt() @Min(3) @Max(20) maxAttempts: number = 5;
  @ApiProperty({ minimum: 1, maximum: 1440 }) @IsInt() @Min(1) @Max(1440) durationMinutes: number = 15;
}

export class BusinessHours {
  @ApiProperty({ example: '08:00' }) @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM' }) start: string = '08:00';
  @ApiProperty({ example: '18:00' }) @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'end must be HH:MM' }) end: string = '18:00';
  @ApiProperty({ description: 'ISO weekdays, 1 = Monday', example: [1, 2, 3, 4, 5], type: [Number] })
  @IsArray() @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true }) days: number[] = [1, 2, 3, 4, 5];
  // An IANA zone the runtime knows: any other string would make every window and report deadline computation throw (a 500).
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsString() @IsTimeZone({ message: 'timezone must be an IANA time zone, such as Europe/Paris' }) timezone: string = 'Europe/Paris';
}

export class Blackout {
  @ApiProperty({ format: 'date-time' }) @IsInstantText() from: string;
  @ApiProperty({ format: 'date-time' }) @IsInstantText() to: string;
  @ApiProperty() @IsString() @MinLength(1) label: string;
}

/**
 * R-POL: every threshold of the charter is a tenant setting; the defaults are the CHM values
 * (seed 004). Stored as jsonb on the tenant and validated on every change.
 */
export class TenantPolicy {
  @ApiProperty({ description: 'R-ART34 access review period', minimum: 1, maximum: 24 })
  @IsInt() @Min(1) @Max(24) reviewPeriodMonths: number = 12;
  @ApiProperty({ description: 'R-ART34 reminders before the due date, in days', type: [Number] })
  @IsArray() @ArrayMaxSize(10) @IsInt({ each: true }) @Min(0, { each: true }) reviewReminderDays: number[] = [14, 2, 1];
  @ApiProperty({ description: 'R-ART34 days after the due date before unattested accounts are suspended', minimum: 0, maximum: 90 })
  @IsInt() @Min(0) @Max(90) reviewGraceDays: number = 15;
  @ApiProperty({
    description: 'R-ART34 what silence does: suspend (default) or deactivate (stricter). Never keep.',
    enum: ['suspend', 'deactivate'], type: String,
  })
  @IsIn(['suspend', 'deactivate']) reviewSilence: 'suspend' | 'deactivate' = 'suspend';
  @ApiProperty({ description: 'R-ART41 connection journal retention, months sliding', minimum: 1, maximum: 120 })
  @IsInt() @Min(1) @Max(120) logRetentionMonths: number = 18;
  @ApiProperty({ description: 'Legal floor under which retention may never go', minimum: 1, maximum: 120 })
  @IsInt() @Min(1) @Max(120) logRetentionFloorMonths: number = 12;
  @ApiProperty({ description: 'R-ART42 report deadline in business days (in business hours)', minimum: 0, maximum: 30 })
  @IsInt() @Min(0) @Max(30) reportDeadlineBusinessDays: number = 2;
  @ApiPropertyOptional({
    description: 'R-ART42 address registered for same-day after-hours reports (Art. 43)', type: String, nullable: true,
  })
  @IsOptional() @IsEmail() reportEmail: string | null = null;
  @ApiProperty({ type: BusinessHours }) @ValidateNested() @Type(() => BusinessHours) businessHours: BusinessHours = new BusinessHours();
  @ApiProperty({ type: [Blackout] }) @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => Blackout)
  blackouts: Blackout[] = [];
  @ApiProperty({ type: PasswordPolicy }) @ValidateNested() @Type(() => PasswordPolicy) password: PasswordPolicy = new PasswordPolicy();
  @ApiProperty({ type: LockoutPolicy }) @ValidateNested() @Type(() => LockoutPolicy) lockout: LockoutPolicy = new LockoutPolicy();
  @ApiProperty({ description: 'R-ART28 TOTP is mandatory; the product refuses to turn it off' })
  @Equals(true, { message: 'mfaRequired cannot be turned off (R-ART28)' }) mfaRequired: boolean = true;
  @ApiProperty({ description: 'CPAM 4.2: days of inactivity after which an account is suspended (0 = off)', minimum: 0, maximum: 365 })
  @IsInt() @Min(0) @Max(365) absenceSuspensionDays: number = 0;
  @ApiProperty({ enum: ['fr', 'en'], type: String }) @IsIn(['fr', 'en']) locale: 'fr' | 'en' = 'fr';
}

export type PresetName = 'chm' | 'cpam13' | 'cpts-provence-sante' | 'cpts-template';
export const PRESET_NAMES: PresetName[] = ['chm', 'cpam13', 'cpts-provence-sante', 'cpts-template'];

/** One preset per seed charter (the four source charters). Each only overrides what its charter says. */
const PRESETS: Record<PresetName, Partial<TenantPolicy>> = {
  // 004: CH du Mans contractor charter: the defaults (12-month review, 18-month journal).
  chm: {},
  // 000: CPAM des Bouches-du-Rhône: traces kept 6 months at most; 4.2 prolonged-absence suspension.
  cpam13: { logRetentionMonths: 6, logRetentionFloorMonths: 6, absenceSuspensionDays: 60 },
  // 001: CPTS Provence Santé: upper, lower, digit, special; "8 to 12 characters minimum".
  'cpts-provence-sante': { password: Object.assign(new PasswordPolicy(), { minLength: 12 }) },
  // 003: CPTS charter template: nothing more specific than the defaults.
  'cpts-template': {},
};

export function presetPolicy(name: PresetName): TenantPolicy {
  return Object.assign(new TenantPolicy(), PRESETS[name]);
}
