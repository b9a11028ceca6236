import { z } from 'zod';

/** Field types shared by the configuration sections. */
export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const optionalText = z.string().trim().min(1).optional();
