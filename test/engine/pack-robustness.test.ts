/**
 * What the compiled pack does with inputs a typed program would never send, over the protocol: properties that do not
 * match a control's schema (hand-written, older or foreign programs) and values not known during a preview. Neither
 * may crash the gRPC call (the engine would fail the whole operation), and neither may pass: a schema mismatch blocks
 * (intercom-control-schema) while every other policy says "Not evaluated". An unknown value leaves only the policies
 * that read it not evaluated: advisory during a preview (ConfigureStack dryRun: true), at the policy's own level
 * otherwise; the same resource is enforced once the value is known (update).
 */
import { CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { ControlDefinition } from "../../core/control";
import { AnyPolicy, ResourcePolicy, StackPolicy } from "../../core/policy";
import { allPolicies, resourcePolicies, stackPolicies } from "../../policies";
import { allControls } from "../../resources";
import {
  captureExample,
  ChangedStack,
  CONTROL_SCHEMA_POLICY,
  controlType,
  launchPinnedPack,
  mandatory,
  mutateResource,
  findResource,
  newResource,
  PINNED_AS_OF,
  SETUP_TIMEOUT_MS,
  summarize,
  UNKNOWN,
  violationMessage,
  withResource,
} from "../support/engine";
import { readsOf, readsPath, setAt, shownPath, unwrapSecrets } from "../support/unknowns";

const pinnedNow = new Date(PINNED_AS_OF);

function definitionOfType(type: string): ControlDefinition {
  return allControls.find((c) => c.typeToken === type) as ControlDefinition;
}

function policyByName(name: string): AnyPolicy {
  return allPolicies.find((p) => p.name === name) as AnyPolicy;
}

/** The resource policies that grade instances of this resource type. */
function resourcePoliciesOf(type: string): readonly ResourcePolicy[] {
  return resourcePolicies.filter((p) => p.control.typeToken === type);
}

/** The stack policies that read instances of this resource type. */
function stackPoliciesReading(type: string): readonly StackPolicy[] {
  return stackPolicies.filter((p) => p.reads.some((control) => control.typeToken === type));
}

describe("the compiled pack with inputs that do not match the schema, or are not known yet", () => {
  let session: PolicyPackSession | undefined;
  let secure: CapturedResource[] = [];

  beforeAll(async () => {
    const [launched, captured] = await Promise.all([launchPinnedPack(), captureExample("secure-workspace")]);
    session = launched;
    secure = captured;
    await configureRun(true);
  }, SETUP_TIMEOUT_MS);

  /** What the engine says before analysing: a preview (dryRun: true) or an update. */
  async function configureRun(dryRun: boolean): Promise<void> {
    await pack().configureStack({ stack: "dev", project: "secure-workspace", dryRun });
  }

  afterAll(async () => {
    await session?.close();
  });

  function pack(): PolicyPackSession {
    if (!session) {
      throw new Error("setup failed");
    }
    return session;
  }

  interface SchemaCase {
    name: string;
    change: (resources: readonly CapturedResource[]) => Required<ChangedStack>;
    /** Every field the schema diagnostic must name. */
    fields: string[];
  }

  const schemaCases: SchemaCase[] = [
    {
      name: "a wrong type (emailPasswordSignIn as a string)",
      change: (r) =>
        mutateResource(r, { control: "SsoEnforcement" }, (p) => {
          p["emailPasswordSignIn"] = "no";
        }),
      fields: ["emailPasswordSignIn"],
    },
    {
      name: "a wrong type inside a nested object (saml.signedAssertions)",
      change: (r) =>
        mutateResource(r, { control: "SsoEnforcement" }, (p) => {
          (p["saml"] as Record<string, unknown>)["signedAssertions"] = "yes";
        }),
      fields: ["saml.signedAssertions"],
    },
    {
      name: "a single string where a list belongs (trustedDomains)",
      change: (r) =>
        mutateResource(r, { control: "MessengerDomainRestriction" }, (p) => {
          p["trustedDomains"] = "www.acme.example.com";
        }),
      fields: ["trustedDomains"],
    },
    {
      name: "an unknown enum value (googleSignIn: sometimes)",
      change: (r) =>
        mutateResource(r, { control: "SsoEnforcement" }, (p) => {
          p["googleSignIn"] = "sometimes";
        }),
      fields: ["googleSignIn"],
    },
    {
      name: "an unknown extra field (redactEverything)",
      change: (r) =>
        mutateResource(r, { control: "PanRedaction" }, (p) => {
          p["redactEverything"] = true;
        }),
      fields: ["redactEverything"],
    },
    {
      name: "a missing required field (enforced)",
      change: (r) =>
        mutateResource(r, { control: "MessengerSecurity", name: "acme-messenger-web" }, (p) => {
          delete p["enforced"];
        }),
      fields: ["enforced"],
    },
    {
      name: "a schema-invalid Workspace (region mars)",
      change: (r) =>
        mutateResource(r, { control: "Workspace" }, (p) => {
          p["region"] = "mars";
        }),
      fields: ["region"],
    },
    {
      name: "a hand-written resource with no props at all",
      change: (r) => withResource(r, newResource(r, controlType("IpAllowlist"), "hand-written-allowlist", {})),
      fields: ["workspaceId", "scope", "enabled", "entries"],
    },
  ];

  describe.each(schemaCases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    let change: Required<ChangedStack>;

    beforeAll(() => {
      change = c.change(secure);
    });

    it("blocks with intercom-control-schema naming the resource and the field, and the Analyze call succeeds", async () => {
      const { diagnostics } = await pack().analyzeDetailed(change.resource);
      const schemaDiagnostics = diagnostics.filter((d) => d.policyName === CONTROL_SCHEMA_POLICY);
      expect(schemaDiagnostics).toHaveLength(1);
      const [diagnostic] = schemaDiagnostics;
      expect(diagnostic?.enforcementLevel).toBe("mandatory");
      expect(diagnostic?.urn).toBe(change.resource.urn);
      const message = violationMessage(diagnostic as NonNullable<typeof diagnostic>);
      expect(message).toContain(`"${change.resource.name}" does not match its schema`);
      for (const field of c.fields) {
        expect(message).toContain(field);
      }
    });

    it("passes nothing: every resource policy of the control says Not evaluated, at its own level", async () => {
      const { diagnostics, notApplicable } = await pack().analyzeDetailed(change.resource);
      const policies = resourcePoliciesOf(change.resource.type);
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        const own = diagnostics.filter((d) => d.policyName === policy.name);
        expect(own.map((d) => [d.enforcementLevel, violationMessage(d)])).toEqual([
          [policy.enforcementLevel, expect.stringMatching(/^Not evaluated: .* does not match its schema/)],
        ]);
        expect(notApplicable.map((n) => n.policyName)).not.toContain(policy.name);
      }
    });

    it("passes nothing at stack level either: every stack policy reading the control says Not evaluated for it", async () => {
      const diagnostics = await pack().analyzeStack(change.resources);
      const policies = stackPoliciesReading(change.resource.type);
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        expect(diagnostics).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              policyName: policy.name,
              urn: change.resource.urn,
              enforcementLevel: policy.enforcementLevel,
              message: expect.stringContaining(`Not evaluated for ${change.resource.type.split(":").pop()} "${change.resource.name}"`),
            }),
          ]),
        );
      }
    });
  });

  it("ignores a resource that is not an Intercom control, without error", async () => {
    const bucket = newResource(secure, "aws:s3/bucket:Bucket", "public-bucket", { acl: "public-read", tags: { team: "web" } });
    const { diagnostics, notApplicable } = await pack().analyzeDetailed(bucket);
    expect(diagnostics).toEqual([]);
    expect(notApplicable).toEqual(expect.arrayContaining([expect.objectContaining({ policyName: CONTROL_SCHEMA_POLICY })]));
    const { resources } = withResource(secure, bucket);
    expect(summarize(await pack().analyzeStack(resources))).toEqual([]);
  });

  interface UnknownCase {
    name: string;
    control: string;
    resourceName?: string;
    /** Where the unknown sits (what the pack must name). */
    path: (string | number)[];
    /** The same property, known and unsafe (what the update sends). */
    update: (properties: Record<string, unknown>) => void;
    /** The policy that blocks once the value is known, and where it reports. */
    blocks: { policy: string; via: "analyze" | "stack"; message: RegExp };
  }

  const unknownCases: UnknownCase[] = [
    {
      name: "SsoEnforcement.samlSso",
      control: "SsoEnforcement",
      path: ["samlSso"],
      update: (p) => {
        p["samlSso"] = "allowed";
      },
      blocks: { policy: "intercom-sso-required", via: "analyze", message: /No SSO is required/ },
    },
    {
      name: "SsoEnforcement.saml.signedAssertions (nested)",
      control: "SsoEnforcement",
      path: ["saml", "signedAssertions"],
      update: (p) => {
        (p["saml"] as Record<string, unknown>)["signedAssertions"] = false;
      },
      blocks: { policy: "intercom-saml-signed-assertions", via: "analyze", message: /signedAssertions: false/ },
    },
    {
      name: "SsoEnforcement.saml.idpCertificate (a secret not created yet)",
      control: "SsoEnforcement",
      path: ["saml", "idpCertificate"],
      update: (p) => {
        (p["saml"] as Record<string, unknown>)["signedAssertions"] = false;
      },
      blocks: { policy: "intercom-saml-signed-assertions", via: "analyze", message: /signedAssertions: false/ },
    },
    {
      name: "an element of MessengerDomainRestriction.trustedDomains",
      control: "MessengerDomainRestriction",
      path: ["trustedDomains", 1],
      update: (p) => {
        p["trustedDomains"] = ["www.acme.example.com", "*"];
      },
      blocks: { policy: "intercom-messenger-trusted-domains", via: "analyze", message: /Trusted domain "\*" admits any domain/ },
    },
    {
      name: "the whole MessengerDomainRestriction.trustedDomains list",
      control: "MessengerDomainRestriction",
      path: ["trustedDomains"],
      update: (p) => {
        p["trustedDomains"] = [];
      },
      blocks: { policy: "intercom-messenger-trusted-domains", via: "analyze", message: /No trusted domains are listed/ },
    },
    {
      name: "MessengerSecurity.enforced (web)",
      control: "MessengerSecurity",
      resourceName: "acme-messenger-web",
      path: ["enforced"],
      update: (p) => {
        p["enforced"] = false;
      },
      blocks: { policy: "intercom-custom-action-protected-match", via: "stack", message: /web identity verification is not enforced/ },
    },
    {
      name: "a control's workspaceId (an output of another resource)",
      control: "TwoFactorAuthentication",
      path: ["workspaceId"],
      update: (p) => {
        p["workspaceId"] = "nowhere99";
      },
      blocks: { policy: "intercom-control-workspace-declared", via: "stack", message: /belongs to workspace nowhere99/ },
    },
  ];

  it("an unknown value in a resource that is not an Intercom control changes nothing: the stack is still enforced", async () => {
    const bucket = newResource(secure, "aws:s3/bucket:Bucket", "pending-bucket", { arn: UNKNOWN, bucket: UNKNOWN });
    const { resources } = withResource(
      secure.filter((r) => r.type !== controlType("MessengerDomainRestriction")),
      bucket,
    );
    expect(await pack().analyze(bucket)).toEqual([]);
    const diagnostics = await pack().analyzeStack(resources);
    expect(summarize(diagnostics)).toEqual([
      expect.stringMatching(/^mandatory intercom-messenger-domain-restriction-declared .*declares no MessengerDomainRestriction/),
    ]);
  });

  it("an unknown value in one control does not stop a stack policy that does not read that control from blocking", async () => {
    // No MessengerDomainRestriction (intercom-messenger-domain-restriction-declared reads Workspace and
    // MessengerDomainRestriction only), and an unrelated control's value not known yet.
    let { resources } = mutateResource(secure, { control: "TwoFactorAuthentication" }, (p) => {
      p["enforcement"] = UNKNOWN;
    });
    resources = resources.filter((r) => r.type !== controlType("MessengerDomainRestriction"));
    const diagnostics = await pack().analyzeStack(resources);
    expect(summarize(diagnostics.filter((d) => d.policyName === "intercom-messenger-domain-restriction-declared"))).toEqual([
      expect.stringMatching(/^mandatory .*declares no MessengerDomainRestriction/),
    ]);
  });

  describe.each(unknownCases.map((c) => [c.name, c] as const))("an unknown value in %s", (_name, c) => {
    const selector = () => (c.resourceName ? { control: c.control, name: c.resourceName } : { control: c.control });
    const preview = () => mutateResource(secure, selector(), (p) => setAt(p, c.path, UNKNOWN));
    const shown = () => shownPath(definitionOfType(preview().resource.type), c.path);
    /** The policies of the control that read the value, observed on the known settings. */
    const readers = () => {
      const original = findResource(secure, selector());
      const props = unwrapSecrets(original.properties) as Record<string, unknown>;
      return resourcePoliciesOf(original.type).filter((policy) => readsPath(readsOf(policy, props, pinnedNow), c.path));
    };

    it("Analyze (preview): only the policies that read it are not evaluated (advisory, naming it); the rest grade as usual", async () => {
      const change = preview();
      const diagnostics = await pack().analyze(change.resource);
      expect(summarize(mandatory(diagnostics))).toEqual([]);
      const needing = readers().map((p) => p.name);
      const expected = [...needing, CONTROL_SCHEMA_POLICY].sort();
      expect(diagnostics.map((d) => d.policyName).sort()).toEqual(expected);
      for (const d of diagnostics) {
        expect(d.enforcementLevel).toBe("advisory");
        expect(violationMessage(d)).toMatch(/^Not evaluated during preview: /);
        expect(violationMessage(d)).toContain(shown());
      }
    });

    it("AnalyzeStack (preview): nothing mandatory about it; every other verdict as without the unknown", async () => {
      const change = preview();
      const diagnostics = await pack().analyzeStack(change.resources);
      const own = diagnostics.filter((d) => d.urn === change.resource.urn);
      for (const d of own) {
        expect([d.enforcementLevel, violationMessage(d)]).toEqual([
          "advisory",
          expect.stringMatching(/^Not evaluated during preview: .*needs /),
        ]);
      }
      // A control whose workspace is unknown counts for no known workspace: as if absent.
      const baseline = c.path[0] === "workspaceId" ? secure.filter((r) => r.urn !== change.resource.urn) : secure;
      const rest = (list: typeof diagnostics) => summarize(list.filter((d) => d.urn !== change.resource.urn));
      expect(rest(diagnostics)).toEqual(rest(await pack().analyzeStack(baseline)));
    });

    it("update with the value still unknown (ConfigureStack dryRun: false): each policy that needs it is not evaluated at its own level", async () => {
      const change = preview();
      await configureRun(false);
      try {
        const diagnostics = [...(await pack().analyze(change.resource)), ...(await pack().analyzeStack(change.resources))];
        const notEvaluated = diagnostics.filter((d) => d.urn === change.resource.urn && /^Not evaluated: /.test(violationMessage(d)));
        expect(notEvaluated.length).toBeGreaterThan(0);
        for (const d of notEvaluated) {
          const policy = policyByName(d.policyName);
          expect([d.policyName, d.enforcementLevel]).toEqual([d.policyName, policy.enforcementLevel]);
        }
        expect(notEvaluated.map((d) => d.policyName)).toEqual(expect.arrayContaining(readers().map((p) => p.name)));
        // SHALL policies are high or critical: at update, an unknown they need blocks.
        expect(mandatory(notEvaluated).length).toBeGreaterThan(0);
      } finally {
        await configureRun(true);
      }
    });

    it("update: the same resource with the value known (and unsafe) is enforced: mandatory", async () => {
      const change = mutateResource(secure, selector(), c.update);
      const diagnostics = c.blocks.via === "analyze" ? await pack().analyze(change.resource) : await pack().analyzeStack(change.resources);
      expect(diagnostics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            policyName: c.blocks.policy,
            enforcementLevel: "mandatory",
            message: expect.stringMatching(c.blocks.message),
          }),
        ]),
      );
      // Known values: nothing is left to the preview advisory.
      expect(diagnostics.map((d) => d.message)).not.toEqual(expect.arrayContaining([expect.stringMatching(/during preview/)]));
    });
  });
});
