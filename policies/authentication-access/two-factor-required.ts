import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { twoFactorAuthenticationControl } from "../../resources/two-factor-authentication";
import { frameworks } from "../support/frameworks";

export const twoFactorRequired = defineResourcePolicy({
  name: "intercom-two-factor-required",
  id: "IHC.AUTH.04",
  title: "Two-factor authentication enforced",
  description: "Two-factor authentication must be required for the whole workspace, not left to each teammate.",
  section: "authentication-access",
  items: ["auth.two-factor"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "Optional 2FA protects only the teammates who opt in. Enforced 2FA covers any password-based path that remains, including during an SSO outage or migration.",
  remediation: ["In Settings > Security > Workspace, enforce two-factor authentication for all teammates (authenticator app)."],
  helpUrl: helpLinks.ssoAnd2fa,
  frameworks: frameworks.teammateAuthentication,
  control: twoFactorAuthenticationControl,
  check: (twoFactor) =>
    twoFactor.enforcement === "required"
      ? []
      : [`Two-factor authentication is "${twoFactor.enforcement}", not required for every teammate.`],
});
