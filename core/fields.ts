import { z } from "zod";

/** Field types several controls share. */

export const isoDate = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: "an ISO 8601 date, e.g. 2026-01-31 or 2026-01-31T09:00:00Z",
  });

export const email = z.email({ message: "an email address" });

export const nonEmptyString = z.string().min(1, { message: "a non-empty string" });
