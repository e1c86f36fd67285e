import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { mobileSdkControl } from "../../resources/mobile-sdk";
import { frameworks } from "../support/frameworks";

/** Intercom's API hosts: api.intercom.io, api.eu.intercom.io, api-iam.au.intercom.io and the like. */
const intercomApiDomains = ["intercom.io", "intercom.com"];

export const mobileApiEndpoint = defineResourcePolicy({
  name: "intercom-mobile-api-endpoint",
  id: "IHC.MSG.03",
  title: "Mobile SDK talks to Intercom over https",
  description: "A mobile SDK's API endpoint, when overridden, is an https URL on an Intercom host.",
  items: ["messenger.mobile-api-endpoints"],
  severity: "high",
  criticality: "SHALL",
  rationale:
    "An SDK pointed at another host or at plain http sends users' identities, tokens and conversations to whoever runs or intercepts it.",
  remediation: ["Remove apiEndpoint to use your region's default, or set the https Intercom host for your data hosting region."],
  helpUrl: helpLinks.dataHosting,
  frameworks: { ...frameworks.transmission, nist80053: ["SC-8", "SC-8(1)"] },
  control: mobileSdkControl,
  appliesTo: (sdk) => sdk.apiEndpoint !== undefined,
  // Never remediated: there is no safe endpoint to substitute; the app's owner changes it.
  check: (sdk) => {
    let url: URL;
    try {
      url = new URL(sdk.apiEndpoint as string);
    } catch {
      return [`The ${sdk.platform} SDK's apiEndpoint is not a URL.`];
    }
    const problems: string[] = [];
    if (url.protocol !== "https:") problems.push(`The ${sdk.platform} SDK's apiEndpoint uses ${url.protocol.replace(":", "")}, not https.`);
    const host = url.hostname.toLowerCase();
    if (!intercomApiDomains.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
      problems.push(`The ${sdk.platform} SDK's apiEndpoint host "${host}" is not an Intercom host.`);
    }
    if (url.username || url.password) problems.push(`The ${sdk.platform} SDK's apiEndpoint carries credentials in the URL.`);
    return problems;
  },
});
