import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { show } from "../../core/redaction";
import { messengerDomainRestrictionControl } from "../../resources/messenger-domain-restriction";
import { overlyBroadDomainReason } from "../support/domains";
import { frameworks } from "../support/frameworks";

export const trustedDomains = defineResourcePolicy({
  name: "intercom-messenger-trusted-domains",
  id: "IHC.MSG.01",
  title: "Messenger restricted to trusted domains",
  description: "The Messenger's trusted-domain list is not empty and every entry names your own domains.",
  items: ["messenger.domain-restrictions"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "A blank list lets any site embed your Messenger with your APP_ID; a wildcard, localhost or IP entry does the same for whole swathes of the web, enabling impersonation and phishing in your name.",
  remediation: [
    "List the full domain names the Messenger runs on (e.g. app.example.com), using * only as a leading subdomain label (*.example.com).",
    "Remove schemes, paths, ports, localhost and IP addresses; use a separate development workspace for local testing.",
  ],
  helpUrl: helpLinks.trustedDomains,
  frameworks: frameworks.customerAuthentication,
  control: messengerDomainRestrictionControl,
  // Entry by entry: each overly broad domain is refused, whatever else is listed.
  independentEntries: ["trustedDomains"],
  // Never remediated: removing or changing a trusted domain can stop the Messenger on a site that uses it.
  check: (restriction) => {
    if (restriction.trustedDomains.length === 0) {
      return ["No trusted domains are listed: the Messenger loads on any domain."];
    }
    return restriction.trustedDomains.flatMap((domain) => {
      const reason = overlyBroadDomainReason(domain);
      return reason ? [`Trusted domain ${show(domain)} ${reason}.`] : [];
    });
  },
});
