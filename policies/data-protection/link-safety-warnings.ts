import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { linkSafetyControl } from "../../resources/link-safety";
import { frameworks } from "../support/frameworks";

export const linkSafetyWarnings = defineResourcePolicy({
  name: "intercom-link-safety-warnings",
  id: "IHC.DATA.03",
  title: "Link safety warnings on",
  description: "Warning screens show before teammates follow untrusted or malicious links.",
  items: ["data.link-safety"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "Anyone can send a link into a conversation; a warning screen is the last check before a teammate opens a phishing or malware page.",
  remediation: ["Turn on warnings for untrusted and for malicious links in the link safety settings."],
  helpUrl: helpLinks.linkSafety,
  frameworks: { ...frameworks.malwareProtection, nist80053: ["SI-3"] },
  control: linkSafetyControl,
  example: {
    workspaceId: "abc12345",
    warnOnUntrustedLinks: true,
    warnOnMaliciousLinks: true,
    trustedDomains: ["example.com"],
    blockedDomains: [],
  },
  check: (links) => {
    const problems: string[] = [];
    if (!links.warnOnMaliciousLinks) problems.push("No warning is shown before following a link flagged as malicious.");
    if (!links.warnOnUntrustedLinks) problems.push("No warning is shown before following a link to an untrusted domain.");
    return problems;
  },
  // Remediates: turns both warnings on. A warning screen blocks nothing and nobody: teammates
  // can still follow the link.
  remediates: ["warnOnMaliciousLinks", "warnOnUntrustedLinks"],
  remediate: (links) =>
    links.warnOnMaliciousLinks && links.warnOnUntrustedLinks
      ? undefined
      : {
          ...(links.warnOnMaliciousLinks ? {} : { warnOnMaliciousLinks: true }),
          ...(links.warnOnUntrustedLinks ? {} : { warnOnUntrustedLinks: true }),
        },
});
