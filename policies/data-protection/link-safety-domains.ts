import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { linkSafetyControl } from "../../resources/link-safety";
import { comparableDomain, overlyBroadDomainReason } from "../support/domains";
import { frameworks } from "../support/frameworks";

export const linkSafetyDomains = defineResourcePolicy({
  name: "intercom-link-safety-domains",
  id: "IHC.DATA.04",
  title: "Link safety trusted domains are specific",
  description: "Link safety's trusted domains are specific domain names, none of them also blocked.",
  items: ["data.link-safety"],
  severity: "medium",
  criticality: "SHOULD",
  rationale: "A wildcard or malformed trusted domain silently switches the untrusted-link warning off for much of the web.",
  remediation: ["List full domain names (or *.yourdomain.com) as trusted; remove any domain that is also blocked."],
  helpUrl: helpLinks.linkSafety,
  frameworks: { ...frameworks.malwareProtection, nist80053: ["SI-3"] },
  control: linkSafetyControl,
  // Entry by entry: each domain is judged alone, or against the blocked ones.
  independentEntries: ["trustedDomains", "blockedDomains"],
  // Never remediated: removing a trusted domain changes which links open; people decide (never remove trusted domains).
  check: (links) => {
    // Compared as a browser reads them: case, Unicode, full-width dots and a trailing dot do not hide an overlap.
    const blocked = new Set(links.blockedDomains.map(comparableDomain));
    return links.trustedDomains.flatMap((domain) => {
      const reason = overlyBroadDomainReason(domain);
      if (reason) return [`Trusted link domain ${show(domain)} ${reason}.`];
      return blocked.has(comparableDomain(domain)) ? [`${show(domain)} is both trusted and blocked.`] : [];
    });
  },
});
