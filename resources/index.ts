/** Every Intercom security control: its zod schema, its metadata and its Pulumi resource class. */
import { ControlDefinition } from "../core/control";
import { attachmentPolicyControl } from "./attachment-policy";
import { businessAssociateAgreementControl } from "./business-associate-agreement";
import { customActionControl } from "./custom-action";
import { dataAttributeSettingsControl } from "./data-attribute-settings";
import { ipAllowlistControl } from "./ip-allowlist";
import { linkSafetyControl } from "./link-safety";
import { messengerDomainRestrictionControl } from "./messenger-domain-restriction";
import { messengerInstallationControl } from "./messenger-installation";
import { messengerSecurityControl } from "./messenger-security";
import { messengerSessionControl } from "./messenger-session";
import { mobileSdkControl } from "./mobile-sdk";
import { notificationPrivacyControl } from "./notification-privacy";
import { panRedactionControl } from "./pan-redaction";
import { protectedAttributeControl } from "./protected-attribute";
import { sessionPolicyControl } from "./session-policy";
import { ssoEnforcementControl } from "./sso-enforcement";
import { twoFactorAuthenticationControl } from "./two-factor-authentication";
import { workspaceControl } from "./workspace";

export * from "./attachment-policy";
export * from "./business-associate-agreement";
export * from "./custom-action";
export * from "./data-attribute-settings";
// An API resource, not a control: exported, never in allControls (the pack grades the MessengerSecurity it feeds).
export * from "./identity-verification-secret";
export * from "./ip-allowlist";
export * from "./link-safety";
export * from "./messenger-domain-restriction";
export * from "./messenger-installation";
export * from "./messenger-security";
export * from "./messenger-session";
export * from "./mobile-sdk";
export * from "./notification-privacy";
export * from "./pan-redaction";
export * from "./protected-attribute";
export * from "./session-policy";
export * from "./sso-enforcement";
export * from "./two-factor-authentication";
export * from "./workspace";
export { ControlInputError } from "../core/resource";

/** In contract order. */
export const allControls: readonly ControlDefinition[] = [
  workspaceControl,
  ssoEnforcementControl,
  twoFactorAuthenticationControl,
  sessionPolicyControl,
  ipAllowlistControl,
  messengerSecurityControl,
  messengerDomainRestrictionControl,
  messengerSessionControl,
  notificationPrivacyControl,
  mobileSdkControl,
  panRedactionControl,
  linkSafetyControl,
  attachmentPolicyControl,
  protectedAttributeControl,
  dataAttributeSettingsControl,
  customActionControl,
  messengerInstallationControl,
  businessAssociateAgreementControl,
];
