/**
 * Secure fixtures and evaluation helpers for the policy specs. Every spec starts from a passing
 * fixture here and mutates one thing, so a fixture that stops passing breaks every spec loudly.
 */
import { z } from "zod";
import { ControlDefinition } from "../../core/control";
import { evaluateResourcePolicy, evaluateStackPolicy, Finding, FindingStatus, schemaFindings } from "../../core/evaluate";
import { AnyPolicy, ResourcePolicy, StackPolicy, TypedResourcePolicy } from "../../core/policy";
import { StackModel, StackResource } from "../../core/stack-model";
import {
  allControls,
  attachmentPolicyControl,
  attachmentPolicySchema,
  businessAssociateAgreementControl,
  businessAssociateAgreementSchema,
  customActionControl,
  customActionSchema,
  dataAttributeSettingsControl,
  dataAttributeSettingsSchema,
  ipAllowlistControl,
  ipAllowlistSchema,
  linkSafetyControl,
  linkSafetySchema,
  messengerDomainRestrictionControl,
  messengerDomainRestrictionSchema,
  messengerInstallationControl,
  messengerInstallationSchema,
  messengerSecurityControl,
  messengerSecuritySchema,
  messengerSessionControl,
  messengerSessionSchema,
  mobileSdkControl,
  mobileSdkSchema,
  notificationPrivacyControl,
  notificationPrivacySchema,
  panRedactionControl,
  panRedactionSchema,
  protectedAttributeControl,
  protectedAttributeSchema,
  sessionPolicyControl,
  sessionPolicySchema,
  ssoEnforcementControl,
  ssoEnforcementSchema,
  twoFactorAuthenticationControl,
  twoFactorAuthenticationSchema,
  workspaceControl,
  workspaceSchema,
} from "../../resources";
import { controlSchema } from "../../policies/configuration/control-schema";
import { allPolicies, resourcePolicies, stackPolicies } from "../../policies";

export const workspaceId = "abc123xyz";
/** A second, valid APP_ID: for controls that belong to another (possibly undeclared) workspace. */
export const otherWorkspaceId = "zzz999other";
/** The fixed clock every date rule is evaluated with: no spec depends on the wall clock. */
export const now = new Date("2026-06-01T00:00:00Z");

/** Frozen so a spec that mutates a fixture in place (instead of copying it) fails at once. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** A fixture typed by its control's input type, so mutations of it are type-checked too. */
function settings<S extends z.ZodObject>(_schema: S, value: z.input<S>): z.input<S> {
  return deepFreeze(value);
}

/** A secure, passing settings object for every control of workspace "abc123xyz". */
export const secure = {
  workspace: settings(workspaceSchema, {
    workspaceId,
    name: "Acme Support",
    region: "eu",
    securityContactEmail: "security@example.com",
    handlesPhi: false,
  }),
  ssoEnforcement: settings(ssoEnforcementSchema, {
    workspaceId,
    googleSignIn: "off",
    samlSso: "required",
    emailPasswordSignIn: false,
    saml: {
      idpEntityId: "https://idp.example.com/entity",
      idpSsoUrl: "https://idp.example.com/sso",
      idpCertificate: "-----BEGIN CERTIFICATE-----\nMIIBfixture\n-----END CERTIFICATE-----",
      signedAssertions: true,
    },
    scimProvisioning: true,
  }),
  twoFactorAuthentication: settings(twoFactorAuthenticationSchema, { workspaceId, enforcement: "required" }),
  sessionPolicy: settings(sessionPolicySchema, { workspaceId, reauthenticateAfterHours: 12 }),
  dashboardIpAllowlist: settings(ipAllowlistSchema, {
    workspaceId,
    scope: "dashboard",
    enabled: true,
    entries: ["203.0.113.0/24", "198.51.100.7"],
  }),
  restApiIpAllowlist: settings(ipAllowlistSchema, {
    workspaceId,
    scope: "rest_api",
    enabled: true,
    entries: ["192.0.2.10"],
  }),
  webMessengerSecurity: settings(messengerSecuritySchema, {
    workspaceId,
    platform: "web",
    identityVerification: "jwt",
    enforced: true,
    jwtExpirySeconds: 3600,
    secretRotatedAt: "2026-03-01",
    apiSecret: "fixture-web-messenger-secret",
  }),
  iosMessengerSecurity: settings(messengerSecuritySchema, {
    workspaceId,
    platform: "ios",
    identityVerification: "jwt",
    enforced: true,
    jwtExpirySeconds: 3600,
    secretRotatedAt: "2026-03-01",
  }),
  androidMessengerSecurity: settings(messengerSecuritySchema, {
    workspaceId,
    platform: "android",
    identityVerification: "jwt",
    enforced: true,
    jwtExpirySeconds: 3600,
    secretRotatedAt: "2026-03-01",
  }),
  messengerDomainRestriction: settings(messengerDomainRestrictionSchema, {
    workspaceId,
    trustedDomains: ["app.example.com", "*.example.com"],
  }),
  messengerSession: settings(messengerSessionSchema, { workspaceId, sessionDurationMinutes: 60 }),
  notificationPrivacy: settings(notificationPrivacySchema, {
    workspaceId,
    emailNotificationContent: "none",
    pushNotificationContent: "generic",
  }),
  iosSdk: settings(mobileSdkSchema, {
    workspaceId,
    platform: "ios",
    apiEndpoint: "https://api-iam.intercom.io",
    encryptedMode: true,
    push: { credential: "apns_p8_key" },
  }),
  androidSdk: settings(mobileSdkSchema, {
    workspaceId,
    platform: "android",
    encryptedMode: true,
    push: { credential: "fcm_service_account", expiresAt: "2027-06-01" },
  }),
  panRedaction: settings(panRedactionSchema, {
    workspaceId,
    enabled: true,
    creditCards: true,
    socialSecurityNumbers: true,
    channels: ["web", "ios", "android", "email", "phone"],
    customRules: [{ name: "Member ID", pattern: "MBR-\\d{8}" }],
  }),
  linkSafety: settings(linkSafetySchema, {
    workspaceId,
    warnOnUntrustedLinks: true,
    warnOnMaliciousLinks: true,
    trustedDomains: ["example.com", "*.example.com"],
    blockedDomains: ["malware.example.net"],
  }),
  attachmentPolicy: settings(attachmentPolicySchema, {
    workspaceId,
    customerUploads: "users_only",
    allowedFileTypes: ["pdf", "png", "jpg"],
  }),
  emailProtected: settings(protectedAttributeSchema, {
    workspaceId,
    model: "contact",
    attribute: "email",
    messengerWritable: false,
  }),
  userIdProtected: settings(protectedAttributeSchema, {
    workspaceId,
    model: "contact",
    attribute: "user_id",
    messengerWritable: false,
  }),
  dataAttributeSettings: settings(dataAttributeSettingsSchema, { workspaceId, allowAttributeCreationViaMessenger: false }),
  customAction: settings(customActionSchema, {
    workspaceId,
    name: "Order lookup",
    url: "https://api.example.com/orders",
    method: "GET",
    // A reference to a token stored in Intercom, not a literal credential.
    headers: { Authorization: "Bearer {{orders_token}}", Accept: "application/json" },
    tokenId: "tok_orders",
    audiences: ["users"],
    identityMatch: "user_id",
    state: "live",
    testedAt: "2026-05-20",
    responseMappings: [{ from: "order.status", toAttribute: "last_order_status" }],
    bypassAuthentication: false,
  }),
  messengerInstallation: settings(messengerInstallationSchema, {
    workspaceId,
    loadAfterConsent: true,
    consentVerifiedServerSide: true,
    // No page-view tracking: with PHI, excluded paths do not make tracking acceptable.
    trackPageViews: false,
    productTours: false,
    excludedPaths: ["/conditions", "/treatments"],
  }),
  businessAssociateAgreement: settings(businessAssociateAgreementSchema, {
    workspaceId,
    signed: true,
    signedOn: "2026-01-15",
    coversAllDataCategories: true,
  }),
} as const;

/** One secure settings object per control kind, for checks that run over every control. */
export const secureByControl: ReadonlyMap<ControlDefinition, Record<string, unknown>> = new Map<ControlDefinition, Record<string, unknown>>(
  [
    [workspaceControl, secure.workspace],
    [ssoEnforcementControl, secure.ssoEnforcement],
    [twoFactorAuthenticationControl, secure.twoFactorAuthentication],
    [sessionPolicyControl, secure.sessionPolicy],
    [ipAllowlistControl, secure.dashboardIpAllowlist],
    [messengerSecurityControl, secure.webMessengerSecurity],
    [messengerDomainRestrictionControl, secure.messengerDomainRestriction],
    [messengerSessionControl, secure.messengerSession],
    [notificationPrivacyControl, secure.notificationPrivacy],
    [mobileSdkControl, secure.iosSdk],
    [panRedactionControl, secure.panRedaction],
    [linkSafetyControl, secure.linkSafety],
    [attachmentPolicyControl, secure.attachmentPolicy],
    [protectedAttributeControl, secure.emailProtected],
    [dataAttributeSettingsControl, secure.dataAttributeSettings],
    [customActionControl, secure.customAction],
    [messengerInstallationControl, secure.messengerInstallation],
    [businessAssociateAgreementControl, secure.businessAssociateAgreement],
  ],
);

export function secureSample(control: ControlDefinition): Record<string, unknown> {
  const sample = secureByControl.get(control);
  if (!sample)
    throw new Error(`No secure fixture for ${control.name}: add one to \`secure\` and \`secureByControl\` in test/support/fixtures.ts`);
  return sample;
}

/** Props that fail the control's schema: the secure sample plus a field no control has. */
export function invalidPropsFor(control: ControlDefinition): Record<string, unknown> {
  return { ...secureSample(control), notAField: "unexpected" };
}

// ---------------------------------------------------------------------------------------------
// Stacks

export function urnOf(control: ControlDefinition, name: string): string {
  return `urn:pulumi:dev::test::${control.typeToken}::${name}`;
}

/** A stack resource for a control; props are typed by the control's input type. */
export function resource<S extends z.ZodObject>(control: ControlDefinition<S>, name: string, props: z.input<S>): StackResource {
  return rawResource(control, name, props as Record<string, unknown>);
}

/** A stack resource with props as given, valid or not. */
export function rawResource(control: ControlDefinition, name: string, props: Record<string, unknown>): StackResource {
  return { type: control.typeToken, urn: urnOf(control, name), name, props: { ...props } };
}

export interface SecureStackOptions {
  readonly handlesPhi?: boolean;
  readonly withMobile?: boolean;
  readonly withCustomAction?: boolean;
}

/** Resource names in the secure stack, so specs mutate by name rather than by position. */
export const names = {
  workspace: "workspace",
  sso: "sso",
  twoFactor: "two-factor",
  session: "session",
  dashboardAllowlist: "dashboard-allowlist",
  apiAllowlist: "api-allowlist",
  webMessenger: "web-messenger",
  iosMessenger: "ios-messenger",
  androidMessenger: "android-messenger",
  domains: "messenger-domains",
  messengerSession: "messenger-session",
  notifications: "notifications",
  iosSdk: "ios-sdk",
  androidSdk: "android-sdk",
  redaction: "redaction",
  linkSafety: "link-safety",
  attachments: "attachments",
  protectEmail: "protect-email",
  protectUserId: "protect-user-id",
  attributeSettings: "attribute-settings",
  customAction: "order-lookup",
  installation: "messenger-installation",
  baa: "baa",
} as const;

/** The root stack resource every real stack has: not an Intercom control, so ignored. */
const rootStack: StackResource = {
  type: "pulumi:pulumi:Stack",
  urn: "urn:pulumi:dev::test::pulumi:pulumi:Stack::test-dev",
  name: "test-dev",
  props: {},
};

/** One workspace, declared with every control needed for every policy to be Secure. */
export function secureStack(options: SecureStackOptions = {}): StackResource[] {
  const stack: StackResource[] = [
    rootStack,
    resource(workspaceControl, names.workspace, { ...secure.workspace, handlesPhi: options.handlesPhi ?? false }),
    resource(ssoEnforcementControl, names.sso, secure.ssoEnforcement),
    resource(twoFactorAuthenticationControl, names.twoFactor, secure.twoFactorAuthentication),
    resource(sessionPolicyControl, names.session, secure.sessionPolicy),
    resource(ipAllowlistControl, names.dashboardAllowlist, secure.dashboardIpAllowlist),
    resource(ipAllowlistControl, names.apiAllowlist, secure.restApiIpAllowlist),
    resource(messengerSecurityControl, names.webMessenger, secure.webMessengerSecurity),
    resource(messengerDomainRestrictionControl, names.domains, secure.messengerDomainRestriction),
    resource(messengerSessionControl, names.messengerSession, secure.messengerSession),
    resource(notificationPrivacyControl, names.notifications, secure.notificationPrivacy),
    resource(panRedactionControl, names.redaction, secure.panRedaction),
    resource(linkSafetyControl, names.linkSafety, secure.linkSafety),
    resource(attachmentPolicyControl, names.attachments, secure.attachmentPolicy),
    resource(protectedAttributeControl, names.protectEmail, secure.emailProtected),
    resource(protectedAttributeControl, names.protectUserId, secure.userIdProtected),
    resource(dataAttributeSettingsControl, names.attributeSettings, secure.dataAttributeSettings),
    resource(messengerInstallationControl, names.installation, secure.messengerInstallation),
  ];
  if (options.handlesPhi) {
    stack.push(resource(businessAssociateAgreementControl, names.baa, secure.businessAssociateAgreement));
  }
  if (options.withMobile) {
    stack.push(
      resource(messengerSecurityControl, names.iosMessenger, secure.iosMessengerSecurity),
      resource(messengerSecurityControl, names.androidMessenger, secure.androidMessengerSecurity),
      resource(mobileSdkControl, names.iosSdk, secure.iosSdk),
      resource(mobileSdkControl, names.androidSdk, secure.androidSdk),
    );
  }
  if (options.withCustomAction) {
    stack.push(resource(customActionControl, names.customAction, secure.customAction));
  }
  return stack;
}

/** Every combination of the secure stack's options. */
export const secureStackVariants: readonly SecureStackOptions[] = [false, true].flatMap((handlesPhi) =>
  [false, true].flatMap((withMobile) => [false, true].map((withCustomAction) => ({ handlesPhi, withMobile, withCustomAction }))),
);

function indexOfName(stack: readonly StackResource[], name: string): number {
  const index = stack.findIndex((r) => r.name === name);
  if (index < 0) throw new Error(`No resource named ${name} in the stack`);
  return index;
}

export function find(stack: readonly StackResource[], name: string): StackResource {
  return stack[indexOfName(stack, name)] as StackResource;
}

/** The stack without the named resource (throws if absent, so a typo cannot make a spec pass). */
export function without(stack: readonly StackResource[], ...resourceNames: string[]): StackResource[] {
  resourceNames.forEach((name) => indexOfName(stack, name));
  return stack.filter((r) => !resourceNames.includes(r.name));
}

/** The stack with the named resource's props shallow-merged with `patch`; `undefined` removes a field. */
export function withProps(stack: readonly StackResource[], name: string, patch: Record<string, unknown>): StackResource[] {
  const index = indexOfName(stack, name);
  return stack.map((r, i) => {
    if (i !== index) return r;
    const props: Record<string, unknown> = { ...r.props, ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete props[key];
    return { ...r, props };
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface GradeOptions {
  readonly config?: unknown;
  readonly now?: Date;
  readonly name?: string;
  readonly urn?: string;
}

/** A resource policy on typed settings. `undefined`: the policy does not apply. */
export function grade<S extends z.ZodObject, C extends z.ZodObject>(
  policy: TypedResourcePolicy<S, C>,
  props: z.input<S>,
  options: GradeOptions = {},
): Finding[] | undefined {
  return gradeRaw(policy, props as Record<string, unknown>, options);
}

/** A resource policy on props as given, valid or not. */
export function gradeRaw(policy: ResourcePolicy, props: Record<string, unknown>, options: GradeOptions = {}): Finding[] | undefined {
  return evaluateResourcePolicy(
    policy,
    { name: options.name ?? "fixture", props, ...(options.urn ? { urn: options.urn } : {}) },
    { config: options.config, now: options.now ?? now },
  );
}

/** A stack policy on a stack. */
export function gradeStack(
  policy: StackPolicy,
  stack: readonly StackResource[],
  options: Omit<GradeOptions, "name" | "urn"> = {},
): Finding[] {
  return evaluateStackPolicy(policy, StackModel.build(stack, allControls), {
    config: options.config,
    now: options.now ?? now,
  });
}

/** The schema policy on one resource; `undefined` when it is not an Intercom control. */
export function gradeSchema(resource: StackResource): Finding[] | undefined {
  const definition = allControls.find((c) => c.typeToken === resource.type);
  if (!definition) return undefined;
  return schemaFindings(controlSchema.name, { name: resource.name, urn: resource.urn, props: resource.props }, definition);
}

/** Every policy of the pack on a stack, as the pack would run them: per resource, then per stack. */
export function gradeAll(stack: readonly StackResource[], options: { now?: Date } = {}): Finding[] {
  const at = { now: options.now ?? now };
  const findings: Finding[] = [];
  for (const r of stack) {
    findings.push(...(gradeSchema(r) ?? []));
    for (const policy of resourcePolicies) {
      if (policy.control.typeToken !== r.type) continue;
      findings.push(...(evaluateResourcePolicy(policy, { name: r.name, urn: r.urn, props: r.props }, at) ?? []));
    }
  }
  const model = StackModel.build(stack, allControls);
  for (const policy of stackPolicies) findings.push(...evaluateStackPolicy(policy, model, at));
  return findings;
}

export function policyNamed(name: string): AnyPolicy {
  const policy = allPolicies.find((p) => p.name === name);
  if (!policy) throw new Error(`No policy named ${name}`);
  return policy;
}

export function isMandatory(policyName: string): boolean {
  return policyNamed(policyName).enforcementLevel === "mandatory";
}

export interface Verdict {
  readonly statuses: FindingStatus[];
  readonly messages: string[];
}

/** Statuses and messages of a policy's findings; `undefined` when the policy did not apply. */
export function verdict(findings: readonly Finding[] | undefined): Verdict | undefined {
  return findings && { statuses: findings.map((f) => f.status), messages: findings.map((f) => f.message) };
}

/** Findings as one line each, for readable failure output. */
export function summarize(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.policy} ${f.status}${f.urn ? ` [${f.urn}]` : ""}: ${f.message}`);
}

// ---------------------------------------------------------------------------------------------
// Assertions

function asPattern(pattern: string | RegExp): RegExp {
  return typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i") : pattern;
}

/** Exactly one Secure finding with no message. */
export function expectSecure(findings: readonly Finding[] | undefined): void {
  expect(findings).toBeDefined();
  expect(summarize(findings ?? [])).toEqual([expect.stringMatching(/ secure( \[[^\]]+\])?: $/)]);
}

/** Not applicable: the policy does not grade this instance. */
export function expectNotApplicable(findings: readonly Finding[] | undefined): void {
  expect(findings).toBeUndefined();
}

/**
 * Only Needs-review findings (at least one), whose messages together match every pattern
 * (strings match case-insensitively). Returns them for further checks.
 */
export function expectNeedsReview(findings: readonly Finding[] | undefined, ...patterns: (string | RegExp)[]): Finding[] {
  expect(findings).toBeDefined();
  const lines = summarize(findings ?? []);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(/ needs_review( \[[^\]]+\])?: /);
  const text = (findings ?? []).map((f) => f.message).join("\n");
  for (const pattern of patterns) expect(text).toMatch(asPattern(pattern));
  return [...(findings ?? [])];
}

/**
 * At least one Not-evaluated finding and never a Secure one; the Not-evaluated messages together
 * match every pattern. Returns the Not-evaluated findings.
 */
export function expectNotEvaluated(findings: readonly Finding[] | undefined, ...patterns: (string | RegExp)[]): Finding[] {
  expect(findings).toBeDefined();
  const all = findings ?? [];
  expect(summarize(all.filter((f) => f.status === "secure"))).toEqual([]);
  expect(summarize(all)).toEqual(expect.arrayContaining([expect.stringMatching(/ not_evaluated( \[[^\]]+\])?: /)]));
  const notEvaluated = all.filter((f) => f.status === "not_evaluated");
  const text = notEvaluated.map((f) => f.message).join("\n");
  for (const pattern of patterns) expect(text).toMatch(asPattern(pattern));
  return notEvaluated;
}
