import { defineStackPolicy, StackViolation } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { messengerSecurityControl } from "../../resources/messenger-security";
import { mobileSdkControl } from "../../resources/mobile-sdk";
import { frameworks } from "../support/frameworks";
import { isVerifiedAndEnforced } from "../support/identity-verification";

export const platformVerified = defineStackPolicy({
  name: "intercom-mobile-platform-verified",
  id: "IHC.MOB.04",
  title: "Every declared mobile platform enforces identity verification",
  description: "Each declared mobile SDK has a MessengerSecurity for its platform that verifies and enforces identity.",
  items: ["mobile.identity-verification"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "Shipping the SDK without that platform's identity verification leaves the app's Messenger open to impersonation even when the web is secured.",
  remediation: ["Declare a MessengerSecurity for the SDK's platform with identity verification on and enforced."],
  helpUrl: helpLinks.identityVerificationSetup,
  frameworks: { ...frameworks.customerAuthentication, nist80053: ["IA-8", "SC-23"] },
  reads: [mobileSdkControl, messengerSecurityControl],
  scope: mobileSdkControl,
  check: (stack) =>
    stack.instances(mobileSdkControl).flatMap((sdk): StackViolation[] => {
      const platform = sdk.settings.platform;
      const security = stack.instances(messengerSecurityControl, sdk.workspaceId).filter((m) => m.settings.platform === platform);
      // One that is invalid is reported as not evaluated, not as missing; one whose platform is not
      // known yet leaves this SDK not evaluated; one whose workspace is not known never counts.
      if (security.length === 0 && stack.declares(messengerSecurityControl, sdk.workspaceId, { platform })) return [];
      if (security.length === 0) {
        return [
          {
            urn: sdk.urn,
            message: `The ${platform} SDK "${sdk.name}" is declared but no ${platform} MessengerSecurity is: identity verification is off by default.`,
          },
        ];
      }
      return security.some((m) => isVerifiedAndEnforced(m.settings))
        ? []
        : [
            {
              urn: sdk.urn,
              message: `The ${platform} SDK "${sdk.name}" is declared but ${platform} identity verification is not enforced.`,
            },
          ];
    }),
});
