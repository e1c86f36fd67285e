import { z } from "zod";
import { mayOnlyShrink } from "../../core/floors";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { attachmentPolicyControl } from "../../resources/attachment-policy";
import { frameworks } from "../support/frameworks";

/**
 * File types known to be safe for a teammate to open: none can carry a script, a macro or an
 * executable by design. A list of dangerous types can never be complete; this one only has to be
 * right about what it names. Each group, and why it is in:
 */
const knownSafeGroups = {
  // Raster formats: pixels and metadata, nothing a viewer runs. heic/heif are what phones take
  // photos in. SVG is not here: it is XML that runs script in a browser.
  "images without active content": ["png", "jpg", "jpeg", "gif", "webp", "heic", "heif"],
  // Browsers' built-in viewers do not run PDF JavaScript; desktop readers sandbox it. Teams whose
  // readers run it can shrink the list.
  PDF: ["pdf"],
  // Text. A CSV opened in a spreadsheet can hold formulas, not macros; spreadsheets ask before
  // fetching external content.
  "plain text": ["txt", "csv", "log"],
  // Office Open XML without macros: Office will not run VBA from a file with these extensions
  // (that needs docm/xlsm/pptm). Not OpenDocument (odt, ods, odp), which holds macros under its
  // ordinary extension, nor RTF or legacy doc/xls/ppt (macros, embedded objects).
  "Office documents that cannot hold macros": ["docx", "xlsx", "pptx"],
  // Media containers: decoded, never executed.
  "audio and video": ["mp3", "m4a", "wav", "mp4", "mov"],
} as const;

export const knownSafeFileTypes: readonly string[] = Object.values(knownSafeGroups).flat();

/**
 * The one form an extension is judged in: Unicode NFKC (full-width and other compatibility forms
 * fold to ASCII), lower case, without leading dots or surrounding spaces, nor the trailing dots
 * and spaces Windows strips from file names. Anything that is not then exactly a known-safe
 * extension (`pdf.exe`, `*`, `image/png`, "", a look-alike letter) is not safe.
 */
export function normaliseExtension(entry: string): string {
  return entry
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFKC")
    .replace(/^[\s.]+|[\s.]+$/g, "");
}

const extensionComparison =
  "compared after Unicode NFKC normalisation, case-insensitively, without leading dots and without surrounding spaces or trailing dots";

const safeGroupsText = Object.entries(knownSafeGroups)
  .map(([group, types]) => `${group} (${types.join(", ")})`)
  .join("; ");

export const attachmentFileTypes = defineResourcePolicy({
  name: "intercom-attachment-file-types",
  id: "IHC.DATA.05",
  title: "Only file types known to be safe",
  description:
    "When customers may upload files, every allowed type is one known to be safe to open; any other type, and an empty list (any type at all), is refused.",
  items: ["data.attachments"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Teammates open what customers upload. A list of dangerous types is never complete, so only types known to be safe are allowed: " +
    `${safeGroupsText}. Not safe, whatever the business need: SVG, HTML and XML (they run script in a browser); macro-enabled and ` +
    "legacy Office formats, RTF and OpenDocument (macros, embedded objects); archives and disk images such as zip, 7z or iso " +
    "(they carry executables past the list); and every executable, script or installer. An empty list allows every type.",
  remediation: ["List in allowedFileTypes only the known-safe types you need (e.g. pdf, png, jpg).", "Or set customerUploads to disabled."],
  helpUrl: helpLinks.attachments,
  frameworks: { ...frameworks.malwareProtection, nist80053: ["SI-3"] },
  control: attachmentPolicyControl,
  configSchema: z.strictObject({
    safeFileTypes: mayOnlyShrink(
      knownSafeFileTypes,
      "Extensions (without the dot) customers may upload; every other type is refused.",
      normaliseExtension,
      extensionComparison,
    ),
  }),
  appliesTo: (attachments) => attachments.customerUploads !== "disabled",
  // Entry by entry: each listed type not known safe is refused, whatever else is listed.
  independentEntries: ["allowedFileTypes"],
  // Never remediated: which file types customers need is the workspace's choice; removing one breaks uploads.
  check: (attachments, { config }) => {
    if (attachments.allowedFileTypes.length === 0) {
      return ["Customers may upload files of any type (allowedFileTypes is empty)."];
    }
    // Configuration may only narrow the known-safe set (its floor); intersecting keeps that true
    // for a rule called with configuration nobody validated.
    const safe = new Set(config.safeFileTypes.map(normaliseExtension).filter((t) => knownSafeFileTypes.includes(t)));
    const unsafe = [...new Set(attachments.allowedFileTypes)].filter((t) => !safe.has(normaliseExtension(t)));
    if (unsafe.length === 0) return [];
    const allowed = safe.size > 0 ? [...safe].join(", ") : "none (safeFileTypes is empty)";
    return [`Customers may upload file types not known to be safe: ${unsafe.map(show).join(", ")}. Known safe: ${allowed}.`];
  },
});
