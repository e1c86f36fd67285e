import { z } from "zod";

/** Field types several controls share. */

/** The shape of an ISO 8601 date or date-time; `isValidIsoDate` also rejects impossible dates. */
export const isoDatePattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function isValidIsoDate(value: string): boolean {
  if (!isoDatePattern.test(value)) return false;
  const day = value.slice(0, 10);
  // Date rolls 2026-02-30 over to March; an ISO date must name a day that exists.
  const midnight = new Date(`${day}T00:00:00Z`);
  const dayExists = !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
  return dayExists && !Number.isNaN(new Date(value).getTime());
}

export const isoDate = z.string().refine(isValidIsoDate, {
  message: "an ISO 8601 date, e.g. 2026-01-31 or 2026-01-31T09:00:00Z",
});

export const email = z.email({ message: "an email address" });

export const nonEmptyString = z.string().min(1, { message: "a non-empty string" });
