/**
 * The suite's own completeness: every policy lives in <section>/<its name without "intercom-">.ts with its spec
 * beside it, and the contract's "Blocking under the default profile" list is enforced by at least one mandatory policy, case by case.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";
import { AnyPolicy } from "../../core/policy";
import { StackResource } from "../../core/stack-model";
import { allPolicies } from "../../policies";
import { allControls, mobileSdkControl, twoFactorAuthenticationControl } from "../../resources";
import {
  gradeAll,
  isMandatory,
  names,
  resource,
  secure,
  secureStack,
  secureStackVariants,
  summarize,
  without,
  withProps,
} from "../support/fixtures";

const root = join(__dirname, "..", "..");
const policiesDir = join(root, "policies");
const sections = readdirSync(policiesDir).filter((d) => d !== "support" && statSync(join(policiesDir, d)).isDirectory());
const policyFiles = sections.flatMap((section) =>
  readdirSync(join(policiesDir, section))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => ({ section, base: f.replace(/\.ts$/, ""), path: join(policiesDir, section, f) })),
);
const isPolicy = (value: unknown): value is AnyPolicy =>
  typeof value === "object" && value !== null && "kind" in value && "name" in value && "severity" in value;
const specPathOf = (file: { section: string; base: string }) => join(__dirname, file.section, `${file.base}.test.ts`);
const policiesOf = (path: string): [string, AnyPolicy][] =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  Object.entries(require(path) as Record<string, unknown>).filter((entry): entry is [string, AnyPolicy] => isPolicy(entry[1]));
/** The policies graded on Intercom's defaults are generated, one per control, by one support file with one spec. */
const undeclaredControls = {
  source: join(policiesDir, "support", "undeclared-controls.ts"),
  spec: join(__dirname, "support", "undeclared-controls.test.ts"),
};
const isGenerated = (policy: AnyPolicy) => policy.id.startsWith("IHC.DEF.");

describe("every policy lives in a file named after it, with a spec", () => {
  it("finds the policy files (a guard against a wrong path making the next checks vacuous)", () => {
    expect(sections).toEqual(
      expect.arrayContaining([
        "authentication-access",
        "messenger-security",
        "data-protection",
        "mobile-sdks",
        "custom-actions",
        "healthcare",
        "configuration",
      ]),
    );
    expect(policyFiles.length).toBeGreaterThanOrEqual(40);
    expect(existsSync(undeclaredControls.source)).toBe(true);
  });

  it.each(policyFiles.map((f) => [relative(root, f.path), f] as const))(
    "%s defines one policy, intercom-<its file name>, of the section it is in, and has its spec beside it",
    (_path, file) => {
      const policies = policiesOf(file.path).map(([, policy]) => `${policy.name} (${policy.section})`);
      expect(policies).toEqual([`intercom-${file.base} (${file.section})`]);
      expect(existsSync(specPathOf(file)) ? relative(root, specPathOf(file)) : "missing").toBe(relative(root, specPathOf(file)));
    },
  );

  it("every policy of the pack comes from its own file, or is generated for an undeclared control, and its spec names it", () => {
    const unexplained = new Set(allPolicies.map((p) => p.name));
    for (const file of policyFiles) {
      const spec = existsSync(specPathOf(file)) ? readFileSync(specPathOf(file), "utf8") : "";
      for (const [, policy] of policiesOf(file.path)) if (spec.includes(policy.name)) unexplained.delete(policy.name);
    }
    const generatedSpec = readFileSync(undeclaredControls.spec, "utf8");
    for (const policy of allPolicies.filter(isGenerated)) if (generatedSpec.includes(policy.name)) unexplained.delete(policy.name);
    expect([...unexplained]).toEqual([]);
  });

  it("every policy a policy file defines is in the pack (a spec for a policy the pack never runs proves nothing)", () => {
    const inPack = new Set<unknown>(allPolicies);
    const orphans = policyFiles.flatMap((file) =>
      policiesOf(file.path)
        .filter(([, policy]) => !inPack.has(policy))
        .map(([exportName]) => `${file.section}/${file.base}: ${exportName}`),
    );
    expect(orphans).toEqual([]);
  });
});

/** Mandatory policies reporting Needs review on the stack. */
function mandatoryViolations(stack: readonly StackResource[]): string[] {
  return gradeAll(stack)
    .filter((f) => f.status === "needs_review" && isMandatory(f.policy))
    .map((f) => f.policy);
}

interface BlockingCase {
  readonly stack: () => StackResource[];
  /** The mandatory policy expected to block it (policy names are part of the contract). */
  readonly by: string;
}

const web = secureStack;
const mobile = () => secureStack({ withMobile: true });
const action = () => secureStack({ withCustomAction: true });
const phi = () => secureStack({ handlesPhi: true });

// Each contract bullet as concrete mutations of the secure stack.
const blockingCases: Record<string, BlockingCase> = {
  "no SSO required (Google and SAML only allowed)": {
    stack: () => withProps(web(), names.sso, { googleSignIn: "allowed", samlSso: "allowed" }),
    by: "intercom-sso-required",
  },
  "no SSO required (both off)": {
    stack: () => withProps(web(), names.sso, { googleSignIn: "off", samlSso: "off", saml: undefined }),
    by: "intercom-sso-required",
  },
  "no SsoEnforcement declared (Intercom's default: no SSO, passwords on)": {
    stack: () => without(web(), names.sso),
    by: "intercom-sso-enforcement-declared",
  },
  "email/password sign-in left on": {
    stack: () => withProps(web(), names.sso, { emailPasswordSignIn: true }),
    by: "intercom-email-password-sign-in-disabled",
  },

  "web Messenger identity verification off": {
    stack: () => withProps(web(), names.webMessenger, { identityVerification: "off", enforced: false }),
    by: "intercom-web-identity-verification",
  },
  "web Messenger identity verification not enforced": {
    stack: () => withProps(web(), names.webMessenger, { enforced: false }),
    by: "intercom-web-identity-verification",
  },
  "no web MessengerSecurity declared": { stack: () => without(web(), names.webMessenger), by: "intercom-messenger-security-declared" },
  "iOS identity verification off": {
    stack: () => withProps(mobile(), names.iosMessenger, { identityVerification: "off", enforced: false }),
    by: "intercom-mobile-identity-verification",
  },
  "Android identity verification not enforced": {
    stack: () => withProps(mobile(), names.androidMessenger, { enforced: false }),
    by: "intercom-mobile-identity-verification",
  },
  "a declared MobileSdk with no MessengerSecurity for its platform": {
    stack: () => [...web(), resource(mobileSdkControl, names.iosSdk, secure.iosSdk)],
    by: "intercom-mobile-platform-verified",
  },

  "an empty trusted-domain list": {
    stack: () => withProps(web(), names.domains, { trustedDomains: [] }),
    by: "intercom-messenger-trusted-domains",
  },
  "no MessengerDomainRestriction declared": {
    stack: () => without(web(), names.domains),
    by: "intercom-messenger-domain-restriction-declared",
  },
  ...Object.fromEntries(
    ["*", "*.com", "*.co.uk", "https://app.example.com", "app.example.com/path", "localhost", "10.0.0.1", "[::1]"].map((entry) => [
      `a trusted domain ${JSON.stringify(entry)}`,
      {
        stack: () => withProps(web(), names.domains, { trustedDomains: ["app.example.com", entry] }),
        by: "intercom-messenger-trusted-domains",
      },
    ]),
  ),

  "an enabled dashboard allowlist with 0.0.0.0/0": {
    stack: () => withProps(web(), names.dashboardAllowlist, { entries: ["203.0.113.0/24", "0.0.0.0/0"] }),
    by: "intercom-ip-allowlist-entries",
  },
  "an enabled REST API allowlist with 0.0.0.0/0": {
    stack: () => withProps(web(), names.apiAllowlist, { entries: ["0.0.0.0/0"] }),
    by: "intercom-ip-allowlist-entries",
  },
  "an enabled allowlist with no entries": {
    stack: () => withProps(web(), names.dashboardAllowlist, { entries: [] }),
    by: "intercom-ip-allowlist-entries",
  },
  "an enabled allowlist with a malformed entry": {
    stack: () => withProps(web(), names.dashboardAllowlist, { entries: ["203.0.113.0/24", "10.0.0.300"] }),
    by: "intercom-ip-allowlist-entries",
  },

  "PAN redaction off": { stack: () => withProps(web(), names.redaction, { enabled: false }), by: "intercom-pan-redaction" },
  "PAN redaction without the credit-card rule": {
    stack: () => withProps(web(), names.redaction, { creditCards: false }),
    by: "intercom-pan-redaction",
  },
  "no PanRedaction declared": { stack: () => without(web(), names.redaction), by: "intercom-pan-redaction-declared" },

  ...Object.fromEntries(
    ["exe", "js", "html", "svg", "sh", "bat"].map((type) => [
      `customer uploads of ${type} allowed`,
      { stack: () => withProps(web(), names.attachments, { allowedFileTypes: ["pdf", type] }), by: "intercom-attachment-file-types" },
    ]),
  ),
  "customer uploads of any type (empty list)": {
    stack: () => withProps(web(), names.attachments, { customerUploads: "everyone", allowedFileTypes: [] }),
    by: "intercom-attachment-file-types",
  },
  "no AttachmentPolicy declared (Intercom's default: anyone, any type)": {
    stack: () => without(web(), names.attachments),
    by: "intercom-attachment-policy-declared",
  },

  "a live custom action calling plain http": {
    stack: () => withProps(action(), names.customAction, { url: "http://api.example.com/orders" }),
    by: "intercom-custom-action-https",
  },
  ...Object.fromEntries(
    [
      "https://10.0.0.5/orders",
      "https://127.0.0.1/orders",
      "https://localhost/orders",
      "https://169.254.169.254/latest",
      "https://[::1]/orders",
    ].map((url) => [
      `a live custom action calling ${url}`,
      { stack: () => withProps(action(), names.customAction, { url }), by: "intercom-custom-action-public-endpoint" },
    ]),
  ),
  "a custom action with a literal credential in a header": {
    stack: () => withProps(action(), names.customAction, { headers: { Authorization: "Bearer sk_live_abc123" } }),
    by: "intercom-custom-action-no-literal-credentials",
  },
  "a live custom action matching on user_shopify_id": {
    stack: () => withProps(action(), names.customAction, { identityMatch: "user_shopify_id" }),
    by: "intercom-custom-action-identity-match",
  },
  "a live custom action matching on phone": {
    stack: () => withProps(action(), names.customAction, { identityMatch: "phone" }),
    by: "intercom-custom-action-identity-match",
  },
  "a live custom action mapping its response onto email": {
    stack: () => withProps(action(), names.customAction, { responseMappings: [{ from: "customer.email", toAttribute: "email" }] }),
    by: "intercom-custom-action-response-mapping",
  },

  "a PHI workspace with no BAA": { stack: () => without(phi(), names.baa), by: "intercom-hipaa-baa" },
  "a PHI workspace with an unsigned BAA": { stack: () => withProps(phi(), names.baa, { signed: false }), by: "intercom-hipaa-baa" },
  "a PHI workspace with a partial-scope BAA": {
    stack: () => withProps(phi(), names.baa, { coversAllDataCategories: false }),
    by: "intercom-hipaa-baa",
  },
  "handlesPhi set on a workspace without a BAA": {
    stack: () => withProps(web(), names.workspace, { handlesPhi: true }),
    by: "intercom-hipaa-baa",
  },
  "a PHI workspace whose Messenger loads before consent": {
    stack: () => withProps(phi(), names.installation, { loadAfterConsent: false }),
    by: "intercom-hipaa-consent-gated-messenger",
  },
  "a PHI workspace whose consent is not verified server-side": {
    stack: () => withProps(phi(), names.installation, { consentVerifiedServerSide: false }),
    by: "intercom-hipaa-consent-gated-messenger",
  },
  "a PHI workspace with no MessengerInstallation": {
    stack: () => without(phi(), names.installation),
    by: "intercom-hipaa-consent-gated-messenger",
  },
};

describe("contract: blocking under the default profile", () => {
  it.each(secureStackVariants.map((o) => [JSON.stringify(o), o] as const))(
    "a secure stack %s gets no finding but Secure from any policy",
    (_label, options) => {
      expect(summarize(gradeAll(secureStack(options)).filter((f) => f.status !== "secure"))).toEqual([]);
    },
  );

  it("a secure stack stays secure with the serialized provider Pulumi adds to dynamic resources", () => {
    const stack = secureStack({ handlesPhi: true, withMobile: true, withCustomAction: true }).map((r) =>
      r.type.includes("/intercom:") ? { ...r, props: { ...r.props, __provider: "exports.handler = ..." } } : r,
    );
    expect(summarize(gradeAll(stack).filter((f) => f.status !== "secure"))).toEqual([]);
  });

  it("every policy runs on the full secure stack and reports Secure at least once", () => {
    // A policy that never said anything would make the "no finding" check above vacuous.
    const reported = new Set(gradeAll(secureStack({ handlesPhi: true, withMobile: true, withCustomAction: true })).map((f) => f.policy));
    expect(allPolicies.map((p) => p.name).filter((name) => !reported.has(name))).toEqual([]);
  });

  it.each(Object.entries(blockingCases))("blocks %s", (_label, c) => {
    expect(isMandatory(c.by)).toBe(true);
    expect(mandatoryViolations(c.stack())).toContain(c.by);
  });

  it.each(allControls.filter((c) => c.intercomDefaults).map((c) => [c.name, c] as const))(
    "a workspace that declares no %s gets Needs review on Intercom's default",
    (_name, control) => {
      // 2FA is graded only while teammates can sign in with a password.
      const base =
        control === twoFactorAuthenticationControl ? withProps(secureStack(), names.sso, { emailPasswordSignIn: true }) : secureStack();
      const stack = base.filter((r) => r.type !== control.typeToken);
      const findings = gradeAll(stack).filter((f) => f.status === "needs_review");
      expect(findings.map((f) => f.message).join("\n")).toMatch(new RegExp(`declares no ${control.name}.*Intercom's default`));
    },
  );
});
