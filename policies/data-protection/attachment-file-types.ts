import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { attachmentPolicyControl } from "../../resources/attachment-policy";
import { frameworks } from "../support/frameworks";

/** Executables, scripts, installers, active documents and markup a browser would run. */
export const executableFileTypes = [
  "exe", "dll", "com", "scr", "msi", "msp", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "mjs", "wsf",
  "wsh", "hta", "cpl", "jar", "sh", "bash", "zsh", "csh", "ksh", "command", "app", "apk", "ipa", "deb", "rpm",
  "dmg", "pkg", "run", "bin", "elf", "py", "pyc", "pl", "rb", "php", "asp", "aspx", "jsp", "cgi", "lnk", "reg",
  "inf", "scf", "html", "htm", "xhtml", "shtml", "svg", "xml", "xsl", "swf", "docm", "xlsm", "pptm", "dotm",
  "xlam", "iso", "img", "vhd", "vhdx", "pif", "chm", "mht", "mhtml", "svgz", "msc",
] as const;

export const attachmentFileTypes = defineResourcePolicy({
  name: "intercom-attachment-file-types",
  id: "IHC.DATA.05",
  title: "No executable or script uploads",
  description: "When customers may upload files, the allowed types are listed and none is executable or a script.",
  section: "data-protection",
  items: ["data.attachments"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Teammates open what customers upload. Executables, scripts, HTML and SVG files run code on a teammate's machine or in the browser; an empty list allows them all.",
  remediation: [
    "List only the types you need (e.g. pdf, png, jpg) in allowedFileTypes.",
    "Or set customerUploads to disabled.",
  ],
  helpUrl: helpLinks.attachments,
  frameworks: frameworks.malwareProtection,
  control: attachmentPolicyControl,
  configSchema: z.strictObject({
    blockedFileTypes: z
      .array(z.string())
      .default([...executableFileTypes])
      .describe("Extensions (without the dot) that customers must never upload."),
  }),
  appliesTo: (attachments) => attachments.customerUploads !== "disabled",
  check: (attachments, { config }) => {
    if (attachments.allowedFileTypes.length === 0) {
      return ["Customers may upload files of any type (allowedFileTypes is empty)."];
    }
    const blocked = new Set(config.blockedFileTypes.map((t) => t.toLowerCase()));
    const dangerous = [...new Set(attachments.allowedFileTypes.map((t) => t.toLowerCase()))].filter((t) => blocked.has(t));
    return dangerous.length > 0 ? [`Customers may upload executable or script types: ${dangerous.join(", ")}.`] : [];
  },
});
