/**
 * contract.md, "Blocking under the default profile", over the protocol: each case starts from an example that passes
 * everything, changes one thing the way the engine would send it, and must get a MANDATORY diagnostic naming the
 * problem, from Analyze of the changed resource or from AnalyzeStack of the whole stack. And the unchanged examples
 * block nothing.
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { allPolicies } from "../../policies";
import {
  analyzeChange,
  analyzeEverything,
  captureExample,
  ChangedStack,
  controlType,
  launchPinnedPack,
  mandatory,
  mutateResource,
  SETUP_TIMEOUT_MS,
  summarize,
  withDuplicate,
  withoutResources,
} from "../support/engine";

type Start = "secure" | "healthcare";

interface BlockingCase {
  /** What the contract says blocks. */
  name: string;
  start: Start;
  change: (resources: readonly CapturedResource[]) => ChangedStack;
  /** The policy expected to block, where (Analyze of the changed resource, or AnalyzeStack), and what it says. */
  policy: string;
  via: "analyze" | "stack";
  message: RegExp;
  /** The resource the stack diagnostic is filed under (default: the changed resource). */
  filedUnder?: string;
}

const mutate =
  (control: string, name: string | undefined, edit: (p: Record<string, unknown>) => Record<string, unknown> | void) =>
  (resources: readonly CapturedResource[]) =>
    mutateResource(resources, name === undefined ? { control } : { control, name }, edit);

const removeControl = (control: string) => (resources: readonly CapturedResource[]) =>
  withoutResources(resources, (r) => r.type === controlType(control));

const trustedDomainCases: Array<[string[], RegExp]> = [
  [[], /No trusted domains are listed/],
  [["*"], /Trusted domain "\*" admits any domain/],
  [["*.com"], /Trusted domain "\*\.com" admits a whole top-level domain/],
  [["https://acme.com"], /Trusted domain "https:\/\/acme\.com" has a scheme/],
  [["acme.com/app"], /Trusted domain "acme\.com\/app" has a path/],
  [["localhost"], /Trusted domain "localhost" is localhost/],
  [["10.1.2.3"], /Trusted domain "10\.1\.2\.3" is an IP address/],
];

const uploadCases = ["exe", "js", "html", "svg", "sh", "bat"];

const customActionUrlCases: Array<[string, string, RegExp]> = [
  ["http URL", "http://api.acme.example.com/v1/orders/latest", /calls its endpoint over http, not https/],
  ["loopback address", "https://127.0.0.1/v1/orders", /targets a loopback address \(127\.0\.0\.1\)/],
  ["private address", "https://10.0.0.8/v1/orders", /targets a private-use address \(10\.0\.0\.8\)/],
  [
    "link-local metadata address",
    "https://169.254.169.254/latest/meta-data",
    /targets a link-local address \(where cloud metadata services answer\) \(169\.254\.169\.254\)/,
  ],
];

const cases: BlockingCase[] = [
  // Authentication & Access
  {
    name: "no SSO required (SAML only allowed)",
    start: "secure",
    change: mutate("SsoEnforcement", undefined, (p) => {
      p["samlSso"] = "allowed";
    }),
    policy: "intercom-sso-required",
    via: "analyze",
    message: /No SSO is required/,
  },
  {
    name: "email/password sign-in left on",
    start: "secure",
    change: mutate("SsoEnforcement", undefined, (p) => {
      p["emailPasswordSignIn"] = true;
    }),
    policy: "intercom-email-password-sign-in-disabled",
    via: "analyze",
    message: /Email and password sign-in is on/,
  },
  {
    name: "web Messenger identity verification off",
    start: "secure",
    change: mutate("MessengerSecurity", "acme-messenger-web", (p) => {
      p["identityVerification"] = "off";
    }),
    policy: "intercom-web-identity-verification",
    via: "analyze",
    message: /Identity verification is off for the web Messenger/,
  },
  {
    name: "web Messenger identity verification not enforced",
    start: "secure",
    change: mutate("MessengerSecurity", "acme-messenger-web", (p) => {
      p["enforced"] = false;
    }),
    policy: "intercom-web-identity-verification",
    via: "analyze",
    message: /set up for web but not enforced/,
  },
  {
    name: "iOS Messenger identity verification not enforced",
    start: "secure",
    change: mutate("MessengerSecurity", "acme-messenger-ios", (p) => {
      p["enforced"] = false;
    }),
    policy: "intercom-mobile-identity-verification",
    via: "analyze",
    message: /set up for ios but not enforced/,
  },
  {
    name: "iOS Messenger identity verification not enforced (the declared iOS SDK, at stack level)",
    start: "secure",
    change: mutate("MessengerSecurity", "acme-messenger-ios", (p) => {
      p["enforced"] = false;
    }),
    policy: "intercom-mobile-platform-verified",
    via: "stack",
    message: /The ios SDK "acme-ios" is declared but ios identity verification is not enforced/,
    filedUnder: "acme-ios",
  },
  {
    name: "a declared android MobileSdk without an android MessengerSecurity",
    start: "secure",
    change: (resources) => withoutResources(resources, (r) => r.name === "acme-messenger-android"),
    policy: "intercom-mobile-platform-verified",
    via: "stack",
    message: /The android SDK "acme-android" is declared but no android MessengerSecurity is/,
    filedUnder: "acme-android",
  },
  // Messenger Security: trusted domains
  ...trustedDomainCases.map(([domains, message]): BlockingCase => ({
    name: `trusted domains ${JSON.stringify(domains)}`,
    start: "secure",
    change: mutate("MessengerDomainRestriction", undefined, (p) => {
      p["trustedDomains"] = domains;
    }),
    policy: "intercom-messenger-trusted-domains",
    via: "analyze",
    message,
  })),
  // IP allowlist
  {
    name: 'an enabled IP allowlist admitting everyone ("0.0.0.0/0")',
    start: "secure",
    change: mutate("IpAllowlist", "acme-dashboard-ips", (p) => {
      p["entries"] = ["203.0.113.0/24", "0.0.0.0/0"];
    }),
    policy: "intercom-ip-allowlist-entries",
    via: "analyze",
    message: /entry "0\.0\.0\.0\/0" admits every address/,
  },
  {
    name: "an enabled IP allowlist with a malformed entry",
    start: "secure",
    change: mutate("IpAllowlist", "acme-rest-api-ips", (p) => {
      p["entries"] = ["198.51.100.0/28", "10.0.0.300"];
    }),
    policy: "intercom-ip-allowlist-entries",
    via: "analyze",
    message: /entry "10\.0\.0\.300" is not an IPv4 address or IPv4 CIDR range/,
  },
  {
    name: "an enabled IP allowlist with no entries",
    start: "secure",
    change: mutate("IpAllowlist", "acme-dashboard-ips", (p) => {
      p["entries"] = [];
    }),
    policy: "intercom-ip-allowlist-entries",
    via: "analyze",
    message: /enabled with no entries, which admits everyone/,
  },
  // Data Protection
  {
    name: "PAN redaction off",
    start: "secure",
    change: mutate("PanRedaction", undefined, (p) => {
      p["enabled"] = false;
    }),
    policy: "intercom-pan-redaction",
    via: "analyze",
    message: /Content redaction is off/,
  },
  {
    name: "PAN redaction without the credit-card rule",
    start: "secure",
    change: mutate("PanRedaction", undefined, (p) => {
      p["creditCards"] = false;
    }),
    policy: "intercom-pan-redaction",
    via: "analyze",
    message: /credit-card \(PAN\) rule is off/,
  },
  ...uploadCases.map((fileType): BlockingCase => ({
    name: `customer uploads allowing .${fileType}`,
    start: "secure",
    change: mutate("AttachmentPolicy", undefined, (p) => {
      p["allowedFileTypes"] = [...(p["allowedFileTypes"] as string[]), fileType];
    }),
    policy: "intercom-attachment-file-types",
    via: "analyze",
    message: new RegExp(`file types not known to be safe: "${fileType}"\\.`),
  })),
  // Custom Actions
  ...customActionUrlCases.map(([what, url, message]): BlockingCase => ({
    name: `a live custom action calling a ${what}`,
    start: "secure",
    change: mutate("CustomAction", undefined, (p) => {
      p["url"] = url;
    }),
    policy: what === "http URL" ? "intercom-custom-action-https" : "intercom-custom-action-public-endpoint",
    via: "analyze",
    message,
  })),
  {
    name: 'a live custom action with a literal Authorization header ("Bearer abc123456")',
    start: "secure",
    // Plain JSON, as a hand-written or older program would send it (the resource class would make it a secret).
    change: mutate("CustomAction", undefined, (p) => {
      p["headers"] = { Accept: "application/json", Authorization: "Bearer abc123456" };
    }),
    policy: "intercom-custom-action-no-literal-credentials",
    via: "analyze",
    message: /carries a literal credential in a header/,
  },
  {
    name: 'a live custom action matching on "phone"',
    start: "secure",
    change: mutate("CustomAction", undefined, (p) => {
      p["identityMatch"] = "phone";
    }),
    policy: "intercom-custom-action-identity-match",
    via: "analyze",
    message: /matches users on "phone"/,
  },
  {
    name: 'a live custom action mapping its response onto "email"',
    start: "secure",
    change: mutate("CustomAction", undefined, (p) => {
      p["responseMappings"] = [{ from: "customer.email", toAttribute: "email" }];
    }),
    policy: "intercom-custom-action-response-mapping",
    via: "analyze",
    message: /writes its response onto the identity attribute "email"/,
  },
  // Healthcare (handlesPhi: true)
  {
    name: "a PHI workspace with its Business Associate Agreement removed",
    start: "healthcare",
    change: removeControl("BusinessAssociateAgreement"),
    policy: "intercom-hipaa-baa",
    via: "stack",
    message: /handles PHI but declares no Business Associate Agreement/,
    filedUnder: "clinic",
  },
  {
    name: "a PHI workspace whose Business Associate Agreement is unsigned",
    start: "healthcare",
    change: mutate("BusinessAssociateAgreement", undefined, (p) => {
      p["signed"] = false;
      delete p["signedOn"];
    }),
    policy: "intercom-hipaa-baa",
    via: "stack",
    message: /its Business Associate Agreement is not signed/,
  },
  {
    name: "a PHI workspace whose Business Associate Agreement has a partial scope",
    start: "healthcare",
    change: mutate("BusinessAssociateAgreement", undefined, (p) => {
      p["coversAllDataCategories"] = false;
    }),
    policy: "intercom-hipaa-baa",
    via: "stack",
    message: /does not cover every data category/,
  },
  {
    name: "a PHI workspace whose Messenger loads before consent",
    start: "healthcare",
    change: mutate("MessengerInstallation", undefined, (p) => {
      p["loadAfterConsent"] = false;
    }),
    policy: "intercom-hipaa-consent-gated-messenger",
    via: "stack",
    message: /the Messenger loads before consent/,
  },
  {
    name: "a PHI workspace whose consent is not verified server-side",
    start: "healthcare",
    change: mutate("MessengerInstallation", undefined, (p) => {
      p["consentVerifiedServerSide"] = false;
    }),
    policy: "intercom-hipaa-consent-gated-messenger",
    via: "stack",
    message: /consent is not verified server-side/,
  },
  {
    name: "a PHI workspace that declares no MessengerInstallation (assumed to load before consent)",
    start: "healthcare",
    change: removeControl("MessengerInstallation"),
    policy: "intercom-hipaa-consent-gated-messenger",
    via: "stack",
    message: /declares no MessengerInstallation/,
    filedUnder: "clinic",
  },
  {
    name: "a PHI workspace whose Messenger tracks page views on every page, clinical ones included",
    start: "healthcare",
    change: mutate("MessengerInstallation", undefined, (p) => {
      p["trackPageViews"] = true;
      delete p["excludedPaths"];
    }),
    policy: "intercom-hipaa-behavioural-profiling",
    via: "stack",
    message: /page views are tracked on every page/,
  },
  // Configuration integrity
  ...[
    ["SsoEnforcement", "intercom-sso-enforcement-declared", /declares no SsoEnforcement.*No SSO is required/],
    ["PanRedaction", "intercom-pan-redaction-declared", /declares no PanRedaction.*Content redaction is off/],
    [
      "MessengerDomainRestriction",
      "intercom-messenger-domain-restriction-declared",
      /declares no MessengerDomainRestriction.*No trusted domains/,
    ],
    ["AttachmentPolicy", "intercom-attachment-policy-declared", /declares no AttachmentPolicy/],
    ["MessengerSecurity", "intercom-messenger-security-declared", /declares no MessengerSecurity for web/],
  ].map(([control, policy, message]): BlockingCase => ({
    name: `a workspace that declares no ${String(control)} (graded on Intercom's default)`,
    start: "secure",
    change: removeControl(control as string),
    policy: policy as string,
    via: "stack",
    message: message as RegExp,
    filedUnder: "acme",
  })),
  {
    name: "a control whose workspaceId names an undeclared workspace",
    start: "secure",
    change: mutate("TwoFactorAuthentication", undefined, (p) => {
      p["workspaceId"] = "nowhere99";
    }),
    policy: "intercom-control-workspace-declared",
    via: "stack",
    message: /TwoFactorAuthentication "acme-2fa" belongs to workspace nowhere99, which is not declared as a Workspace/,
  },
  {
    name: "two SsoEnforcements for one workspace",
    start: "secure",
    change: (resources) => withDuplicate(resources, { control: "SsoEnforcement" }, "acme-sso-again"),
    policy: "intercom-single-instance-controls",
    via: "stack",
    message: /SsoEnforcement "acme-sso-again" duplicates "acme-sso" for workspace ab12cd34ef/,
  },
];

describe("contract: blocking under the default profile, over the protocol", () => {
  let session: PolicyPackSession | undefined;
  const starts: Partial<Record<Start, CapturedResource[]>> = {};

  beforeAll(async () => {
    const [launched, secure, healthcare] = await Promise.all([
      launchPinnedPack(),
      captureExample("secure-workspace"),
      captureExample("healthcare-workspace"),
    ]);
    session = launched;
    Object.assign(starts, { secure, healthcare });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  function ready(start: Start): { session: PolicyPackSession; resources: CapturedResource[] } {
    const resources = starts[start];
    if (!session || !resources) {
      throw new Error("setup failed");
    }
    return { session, resources };
  }

  it("expects only policies the pack has", () => {
    const names = new Set(allPolicies.map((p) => p.name));
    for (const c of cases) {
      expect(names).toContain(c.policy);
    }
  });

  it.each(["secure", "healthcare"] as const)("the unchanged %s example blocks nothing", async (start) => {
    const { session, resources } = ready(start);
    const verdict = await analyzeEverything(session, resources);
    expect(summarize(mandatory(verdict.all))).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))("blocks %s", async (_name, c) => {
    const { session, resources } = ready(c.start);
    const change = c.change(resources);
    const verdict = await analyzeChange(session, change);
    const where = c.via === "analyze" ? verdict.analyze : verdict.stack;
    if (c.via === "analyze") {
      expect(change.resource).toBeDefined();
    }
    const filedUnder = c.filedUnder ? change.resources.find((r) => r.name === c.filedUnder)?.urn : change.resource?.urn;
    expect(filedUnder).toBeDefined();
    expect(mandatory(where)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          policyName: c.policy,
          enforcementLevel: "mandatory",
          message: expect.stringMatching(c.message),
          urn: filedUnder,
        }),
      ]),
    );
  });
});
