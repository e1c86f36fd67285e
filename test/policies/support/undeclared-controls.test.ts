import { ControlDefinition } from "../../../core/control";
import { SectionId } from "../../../core/health-check";
import { defineResourcePolicy, Severity, StackPolicy } from "../../../core/policy";
import { StackResource } from "../../../core/stack-model";
import { stackPolicies } from "../../../policies";
import { undeclaredControlPolicy } from "../../../policies/support/undeclared-controls";
import {
  allControls,
  attachmentPolicyControl,
  dataAttributeSettingsControl,
  ipAllowlistControl,
  linkSafetyControl,
  messengerDomainRestrictionControl,
  messengerSecurityControl,
  messengerSessionControl,
  notificationPrivacyControl,
  panRedactionControl,
  sessionPolicyControl,
  ssoEnforcementControl,
  twoFactorAuthenticationControl,
  workspaceControl,
} from "../../../resources";
import {
  expectNeedsReview,
  expectNotEvaluated,
  expectSecure,
  find,
  gradeStack,
  names,
  otherWorkspaceId,
  rawResource,
  resource,
  secure,
  secureStack,
  secureStackVariants,
  urnOf,
  without,
  withProps,
} from "../../support/fixtures";
import { describeStackPolicyBasics } from "../../support/policy-basics";

interface Case {
  readonly control: ControlDefinition;
  readonly policy: string;
  readonly severity: Severity;
  readonly section: SectionId;
  /** The secure stack's resources of this kind that Intercom's default stands in for. */
  readonly remove: readonly string[];
  /** Words the message must carry: what the default gets wrong. */
  readonly words: readonly string[];
  /** Controls the policy reads besides the Workspace and its own (what its verdict depends on). */
  readonly alsoReads?: readonly ControlDefinition[];
  /** The secure stack changed so that the default matters (2FA matters while passwords work). */
  readonly prepare?: (stack: StackResource[]) => StackResource[];
}

const passwordSignInOpen = (stack: StackResource[]) => withProps(stack, names.sso, { emailPasswordSignIn: true });

// Written out rather than derived, so a change to a control's default or to the policies that
// grade it shows up here. Critical ones are the contract's "blocking under the default profile".
const cases: readonly Case[] = [
  {
    control: ssoEnforcementControl,
    policy: "intercom-sso-enforcement-declared",
    severity: "critical",
    section: "authentication-access",
    remove: [names.sso],
    words: ["No SSO is required", "Email and password sign-in is on"],
  },
  {
    control: twoFactorAuthenticationControl,
    policy: "intercom-two-factor-authentication-declared",
    severity: "medium",
    section: "authentication-access",
    remove: [names.twoFactor],
    words: ['"optional"', "sign in with a password"],
    alsoReads: [ssoEnforcementControl],
    prepare: passwordSignInOpen,
  },
  {
    control: sessionPolicyControl,
    policy: "intercom-session-policy-declared",
    severity: "medium",
    section: "authentication-access",
    remove: [names.session],
    words: ["4-day"],
  },
  {
    control: ipAllowlistControl,
    policy: "intercom-ip-allowlist-declared",
    severity: "medium",
    section: "authentication-access",
    remove: [names.dashboardAllowlist],
    words: ["for dashboard", "allowlist is off"],
  },
  {
    control: messengerSecurityControl,
    policy: "intercom-messenger-security-declared",
    severity: "critical",
    section: "authentication-access",
    remove: [names.webMessenger],
    words: ["for web", "Identity verification is off"],
  },
  {
    control: messengerDomainRestrictionControl,
    policy: "intercom-messenger-domain-restriction-declared",
    severity: "critical",
    section: "messenger-security",
    remove: [names.domains],
    words: ["No trusted domains"],
  },
  {
    control: messengerSessionControl,
    policy: "intercom-messenger-session-declared",
    severity: "medium",
    section: "messenger-security",
    remove: [names.messengerSession],
    words: ["10080 minutes"],
  },
  {
    control: notificationPrivacyControl,
    policy: "intercom-notification-privacy-declared",
    severity: "medium",
    section: "messenger-security",
    remove: [names.notifications],
    words: ["full message content"],
  },
  {
    control: panRedactionControl,
    policy: "intercom-pan-redaction-declared",
    severity: "critical",
    section: "data-protection",
    remove: [names.redaction],
    words: ["redaction is off"],
  },
  {
    control: linkSafetyControl,
    policy: "intercom-link-safety-declared",
    severity: "medium",
    section: "data-protection",
    remove: [names.linkSafety],
    words: ["No warning"],
  },
  {
    control: attachmentPolicyControl,
    policy: "intercom-attachment-policy-declared",
    severity: "critical",
    section: "data-protection",
    remove: [names.attachments],
    words: ["any type", "Anonymous visitors"],
  },
  {
    control: dataAttributeSettingsControl,
    policy: "intercom-data-attribute-settings-declared",
    severity: "medium",
    section: "data-protection",
    remove: [names.attributeSettings],
    words: ["create new custom attributes"],
  },
];

function generated(name: string): StackPolicy {
  const policy = stackPolicies.find((p) => p.name === name);
  if (!policy) throw new Error(`No generated policy ${name}`);
  return policy;
}

const workspaceUrn = urnOf(workspaceControl, names.workspace);

describe("generated intercom-<control>-declared policies", () => {
  it("exist for exactly the controls that have Intercom defaults", () => {
    const declaredPolicies = stackPolicies.filter(
      (p) => /^intercom-.+-declared$/.test(p.name) && p.name !== "intercom-control-workspace-declared",
    );
    expect(declaredPolicies.map((p) => p.name).sort()).toEqual(cases.map((c) => c.policy).sort());
    expect(
      allControls
        .filter((c) => c.intercomDefaults)
        .map((c) => c.name)
        .sort(),
    ).toEqual(cases.map((c) => c.control.name).sort());
  });

  describe.each(cases)("$policy", (c) => {
    const policy = generated(c.policy);

    // Blocking by default as before levels were explicit, when severity decided: critical and high blocked.
    const level = c.severity === "critical" || c.severity === "high" ? "mandatory" : "advisory";
    it(`has severity ${c.severity} (${level} by default) and reads the Workspace and ${c.control.name}`, () => {
      expect([policy.severity, policy.enforcementLevel]).toEqual([c.severity, level]);
      expect(policy.reads).toEqual([workspaceControl, c.control, ...(c.alsoReads ?? [])]);
    });

    it("passes every secure stack variant", () => {
      for (const options of secureStackVariants) expectSecure(gradeStack(policy, secureStack(options)));
    });

    const prepared = () => (c.prepare ?? ((stack: StackResource[]) => stack))(secureStack());

    it(`flags a workspace that declares no ${c.control.name}, naming it and Intercom's default, under the workspace's urn`, () => {
      const findings = expectNeedsReview(
        gradeStack(policy, without(prepared(), ...c.remove)),
        `declares no ${c.control.name}`,
        "Intercom's default",
        '"Acme Support"',
        secure.workspace.workspaceId,
        ...c.words,
      );
      expect(findings.map((f) => f.urn)).toEqual([workspaceUrn]);
    });

    it(`does not accept a ${c.control.name} declared only for another workspace`, () => {
      const moved = c.remove.map((name) => {
        const original = find(prepared(), name);
        return {
          ...original,
          name: `other-${name}`,
          urn: `${original.urn}-other`,
          props: { ...original.props, workspaceId: otherWorkspaceId },
        };
      });
      expectNeedsReview(gradeStack(policy, [...without(prepared(), ...c.remove), ...moved]), `declares no ${c.control.name}`);
    });

    it(`reports an invalid ${c.control.name} as not evaluated, not as undeclared`, () => {
      const [name] = c.remove as [string];
      const broken = rawResource(c.control, name, { ...find(secureStack(), name).props, notAField: true });
      const findings = gradeStack(policy, [...without(secureStack(), name), broken]);
      expect(expectNotEvaluated(findings, c.control.name).map((f) => f.urn)).toEqual([broken.urn]);
      expect(findings).toHaveLength(1);
    });

    describeStackPolicyBasics(policy, c.section, secureStack);
  });

  it("grades each declared workspace on its own", () => {
    const stack = [
      ...secureStack(),
      resource(workspaceControl, "eu-workspace", { ...secure.workspace, name: "Acme EU", workspaceId: otherWorkspaceId }),
    ];
    const findings = expectNeedsReview(gradeStack(generated("intercom-sso-enforcement-declared"), stack), '"Acme EU"', otherWorkspaceId);
    expect(findings.map((f) => f.urn)).toEqual([urnOf(workspaceControl, "eu-workspace")]);
  });

  it("grades nothing for a stack that declares no Workspace (intercom-control-workspace-declared reports that)", () => {
    expectSecure(gradeStack(generated("intercom-sso-enforcement-declared"), without(secureStack(), names.workspace, names.sso)));
  });

  it("grades a missing web MessengerSecurity even when iOS and Android are declared", () => {
    const stack = without(secureStack({ withMobile: true }), names.webMessenger);
    expectNeedsReview(gradeStack(generated("intercom-messenger-security-declared"), stack), "for web");
  });

  it("grades a missing dashboard IpAllowlist even when the REST API one is declared, and accepts a declared one that is off", () => {
    const policy = generated("intercom-ip-allowlist-declared");
    expectNeedsReview(gradeStack(policy, without(secureStack(), names.dashboardAllowlist)), "for dashboard");
    const declaredOff = without(secureStack(), names.dashboardAllowlist).concat(
      resource(ipAllowlistControl, names.dashboardAllowlist, { ...secure.dashboardIpAllowlist, enabled: false }),
    );
    // Declared, so intercom-ip-allowlist-enabled grades it; the -declared policy has nothing to add.
    expectSecure(gradeStack(policy, declaredOff));
  });
  describe("intercom-two-factor-authentication-declared in its workspace's context", () => {
    const policy = generated("intercom-two-factor-authentication-declared");
    const noTwoFactor = () => without(secureStack(), names.twoFactor);

    it("does not grade Intercom's optional 2FA while SSO is required and password sign-in is off", () => {
      expectSecure(gradeStack(policy, noTwoFactor()));
    });

    it.each([
      ["password sign-in on", { emailPasswordSignIn: true }],
      ["SSO only allowed", { samlSso: "allowed", googleSignIn: "off" }],
    ])("grades it with %s", (_label, patch) => {
      expectNeedsReview(
        gradeStack(policy, withProps(noTwoFactor(), names.sso, patch)),
        "declares no TwoFactorAuthentication",
        '"optional"',
      );
    });

    it("grades it when the workspace declares no SsoEnforcement (Intercom's default keeps passwords on)", () => {
      expectNeedsReview(gradeStack(policy, without(noTwoFactor(), names.sso)), "declares no TwoFactorAuthentication");
    });

    it("does not count another workspace's SsoEnforcement", () => {
      const sso = find(secureStack(), names.sso);
      const elsewhere = { ...sso, name: "other-sso", urn: `${sso.urn}-other`, props: { ...sso.props, workspaceId: otherWorkspaceId } };
      expectNeedsReview(gradeStack(policy, [...without(noTwoFactor(), names.sso), elsewhere]), "declares no TwoFactorAuthentication");
    });
  });
});

describe("a generated policy's default enforcement", () => {
  // Policies that fail Intercom's default SessionPolicy (reauthenticateAfterHours: null), at each default level.
  const failing = (name: string, criticality: "SHALL" | "SHOULD", enforcementLevel?: "advisory" | "mandatory") =>
    defineResourcePolicy({
      name,
      id: "TEST.AUTH.01",
      title: "Fails the default",
      description: "Fails Intercom's default session policy.",
      items: ["auth.session-length"],
      severity: "critical",
      criticality,
      ...(enforcementLevel ? { enforcementLevel } : {}),
      rationale: "For the generated policy's level.",
      remediation: ["Fix it."],
      helpUrl: "https://www.intercom.com/help/en/",
      frameworks: {},
      control: sessionPolicyControl,
      check: (settings) => (settings.reauthenticateAfterHours === null ? ["No limit."] : []),
    });

  it("blocks when a declared control with the default settings would be blocked, whatever the criticality says", () => {
    const generatedFrom = (...policies: ReturnType<typeof failing>[]) => undeclaredControlPolicy(sessionPolicyControl, policies);
    expect(generatedFrom(failing("intercom-test-a", "SHALL"))?.enforcementLevel).toBe("mandatory");
    expect(generatedFrom(failing("intercom-test-a", "SHALL", "advisory"))?.enforcementLevel).toBe("advisory");
    expect(generatedFrom(failing("intercom-test-a", "SHOULD", "mandatory"))?.enforcementLevel).toBe("mandatory");
    expect(generatedFrom(failing("intercom-test-a", "SHOULD"), failing("intercom-test-b", "SHALL", "advisory"))?.enforcementLevel).toBe(
      "advisory",
    );
    expect(generatedFrom(failing("intercom-test-a", "SHOULD"), failing("intercom-test-b", "SHOULD", "mandatory"))?.enforcementLevel).toBe(
      "mandatory",
    );
  });

  it("has the id IHC.DEF.<control> and the section of its first failing policy's row", () => {
    const generated = undeclaredControlPolicy(sessionPolicyControl, [failing("intercom-test-a", "SHOULD")]);
    expect([generated?.id, generated?.section, generated?.name]).toEqual([
      "IHC.DEF.SessionPolicy",
      "authentication-access",
      "intercom-session-policy-declared",
    ]);
  });
});
