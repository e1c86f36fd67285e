/**
 * Every policy of the pack, by Health Check section. To add a policy: write it in its section's
 * folder (one file, metadata beside the check) and list it here.
 */
import { AnyPolicy, ResourcePolicy, StackPolicy } from "../core/policy";
import { allControls } from "../resources";
import { emailPasswordSignInDisabled } from "./authentication-access/email-password-sign-in-disabled";
import { ipAllowlistEnabled } from "./authentication-access/ip-allowlist-enabled";
import { ipAllowlistEntries } from "./authentication-access/ip-allowlist-entries";
import { samlSignedAssertions } from "./authentication-access/saml-signed-assertions";
import { securityContact } from "./authentication-access/security-contact";
import { sessionLength } from "./authentication-access/session-length";
import { ssoRequired } from "./authentication-access/sso-required";
import { twoFactorRequired } from "./authentication-access/two-factor-required";
import { webIdentityVerification } from "./authentication-access/web-identity-verification";
import { controlSchema } from "./configuration/control-schema";
import { policyExceptions } from "./configuration/policy-exceptions";
import { singleInstance } from "./configuration/single-instance-controls";
import { SettingsGradingStackPolicy, undeclaredControlPolicy } from "./support/undeclared-controls";
import { workspaceDeclared } from "./configuration/control-workspace-declared";
import { customActionHttps } from "./custom-actions/custom-action-https";
import { customActionIdentityMatch } from "./custom-actions/custom-action-identity-match";
import { customActionNoLiteralCredentials } from "./custom-actions/custom-action-no-literal-credentials";
import { customActionProtectedMatch } from "./custom-actions/custom-action-protected-match";
import { customActionPublicEndpoint } from "./custom-actions/custom-action-public-endpoint";
import { customActionResponseMapping } from "./custom-actions/custom-action-response-mapping";
import { customActionTested } from "./custom-actions/custom-action-tested";
import { customActionVerifiedAudiences } from "./custom-actions/custom-action-verified-audiences";
import { attachmentAudience } from "./data-protection/attachment-audience";
import { attachmentFileTypes } from "./data-protection/attachment-file-types";
import { attributeCreationViaMessenger } from "./data-protection/attribute-creation-via-messenger";
import { linkSafetyDomains } from "./data-protection/link-safety-domains";
import { linkSafetyWarnings } from "./data-protection/link-safety-warnings";
import { panRedaction } from "./data-protection/pan-redaction";
import { protectedIdentityAttributes } from "./data-protection/protected-identity-attributes";
import { redactionChannels } from "./data-protection/redaction-channels";
import { hipaaBehaviouralProfiling } from "./healthcare/hipaa-behavioural-profiling";
import { hipaaBusinessAssociateAgreement } from "./healthcare/hipaa-baa";
import { hipaaConsentGatedMessenger } from "./healthcare/hipaa-consent-gated-messenger";
import { hipaaPhiSafeguards } from "./healthcare/hipaa-phi-safeguards";
import { jwtExpiry } from "./messenger-security/messenger-jwt-expiry";
import { jwtVerification } from "./messenger-security/messenger-jwt";
import { mobileApiEndpoint } from "./messenger-security/mobile-api-endpoint";
import { notificationContent } from "./messenger-security/notification-content";
import { secretRotation } from "./messenger-security/messenger-secret-rotation";
import { messengerSessionDuration } from "./messenger-security/messenger-session-duration";
import { trustedDomains } from "./messenger-security/messenger-trusted-domains";
import { encryptedMode } from "./mobile-sdks/mobile-encrypted-mode";
import { mobileIdentityVerification } from "./mobile-sdks/mobile-identity-verification";
import { platformVerified } from "./mobile-sdks/mobile-platform-verified";
import { pushCredentials } from "./mobile-sdks/mobile-push-credentials";

/** Resource policies: what one control shows. Typed per control, widened for the registry. */
export const resourcePolicies = [
  // Authentication & Access
  ssoRequired,
  emailPasswordSignInDisabled,
  samlSignedAssertions,
  sessionLength,
  ipAllowlistEntries,
  ipAllowlistEnabled,
  webIdentityVerification,
  securityContact,
  // Messenger Security
  trustedDomains,
  messengerSessionDuration,
  mobileApiEndpoint,
  notificationContent,
  jwtVerification,
  jwtExpiry,
  secretRotation,
  // Data Protection
  panRedaction,
  redactionChannels,
  linkSafetyWarnings,
  linkSafetyDomains,
  attachmentFileTypes,
  attachmentAudience,
  protectedIdentityAttributes,
  attributeCreationViaMessenger,
  // Mobile SDKs
  mobileIdentityVerification,
  pushCredentials,
  encryptedMode,
  // Custom Actions
  customActionHttps,
  customActionPublicEndpoint,
  customActionNoLiteralCredentials,
  customActionIdentityMatch,
  customActionResponseMapping,
  customActionTested,
  customActionVerifiedAudiences,
] as unknown as readonly ResourcePolicy[];

/** Stack policies that grade one control's settings in their workspace's context. */
const settingsGradingPolicies = [twoFactorRequired] as unknown as readonly SettingsGradingStackPolicy[];

/** Stack policies: what needs the whole stack. */
export const stackPolicies: readonly StackPolicy[] = [
  ...settingsGradingPolicies,
  platformVerified,
  customActionProtectedMatch,
  hipaaBusinessAssociateAgreement,
  hipaaConsentGatedMessenger,
  hipaaBehaviouralProfiling,
  hipaaPhiSafeguards,
  workspaceDeclared,
  singleInstance,
  policyExceptions,
  ...allControls.flatMap((control) => undeclaredControlPolicy(control, resourcePolicies, settingsGradingPolicies) ?? []),
] as unknown as readonly StackPolicy[];

export const allPolicies: readonly AnyPolicy[] = [controlSchema, ...resourcePolicies, ...stackPolicies];

const names = new Set<string>();
const ids = new Set<string>();
for (const policy of allPolicies) {
  if (names.has(policy.name)) throw new Error(`Duplicate policy name ${policy.name}`);
  if (ids.has(policy.id)) throw new Error(`Duplicate policy id ${policy.id}`);
  names.add(policy.name);
  ids.add(policy.id);
}

export function findPolicy(name: string): AnyPolicy | undefined {
  return allPolicies.find((p) => p.name === name);
}
