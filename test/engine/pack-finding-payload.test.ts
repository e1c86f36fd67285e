/**
 * The status payload over the Analyzer protocol, against the compiled pack: whatever program text a
 * violation quotes (fake payload lines, every line separator, JSON pieces, bidi and zero-width
 * characters), and whatever a secret redacted from it equals, each diagnostic's last line is the
 * payload of what the pack found (needs review, waived with its exception, not evaluated pending
 * the update), and the classifier of cli/preview.ts reads that status and shows no payload.
 */
import fc from "fast-check";
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { verdictClassifier, waiverTarget } from "../../cli/preview";
import { encodeFindingPayload, FindingPayload, findingPayloadTag } from "../../core/finding-payload";
import { reportCatalogOf } from "../../report/catalog";
import { controlType, findingPayload, launchPinnedPack, secret, SETUP_TIMEOUT_MS, UNKNOWN } from "../support/engine";
import { hostileText } from "../support/finding-wording";
import { sampleOf } from "../support/property";

const POLICY = "intercom-messenger-trusted-domains";
const WORKSPACE_ID = "payload01";
const AS_OF = "2026-11-21T00:00:00Z";
const EXPIRES = "2026-12-01";
const accountable = { justification: "Partner domain until the migration", owner: "alice@example.com", approver: "bob@example.com" };

type Kind = "review" | "waived" | "pending" | "secret";
interface Case {
  readonly kind: Kind;
  readonly text: string;
  /** For "secret": the secret value, one that looks like a piece of a payload. */
  readonly secretValue: string;
}

const payloadPiece = fc.constantFrom(
  "needs_review",
  "waived",
  "status",
  findingPayloadTag,
  "not_evaluated",
  "exception",
  "0",
  "{",
  '"',
  ":",
  "expires",
  "2026-12-01",
  "pending",
);

function resourceOf(c: Case, i: number): CapturedResource {
  const type = controlType("MessengerDomainRestriction");
  const trustedDomains =
    c.kind === "pending" ? UNKNOWN : c.kind === "secret" ? secret([`${c.text}${c.secretValue}`]) : [`${c.text}.example.com/path`];
  // The name is program text too: it is quoted in the not-evaluated message.
  const name = c.kind === "pending" ? `p${i}${c.text}` : `r${i}`;
  return {
    type,
    name,
    urn: `urn:pulumi:dev::payload::${type}::r${i}`,
    properties: { workspaceId: WORKSPACE_ID, trustedDomains },
    custom: true,
    dependencies: [],
  };
}

describe("the status payload over the Analyzer protocol", () => {
  let session: PolicyPackSession | undefined;

  beforeAll(async () => {
    session = await launchPinnedPack({ env: { INTERCOM_HEALTH_CHECK_AS_OF: AS_OF } });
    await session.configureStack({ project: "payload", stack: "dev", dryRun: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it(
    "generated hostile program text: each diagnostic's status is what the pack found, and the tool classifies it from the payload alone",
    async () => {
      if (!session) throw new Error("setup failed");
      const kind = fc.constantFrom<Kind>("review", "waived", "pending", "secret");
      const cases =
        sampleOf(fc.array(fc.record({ kind, text: hostileText, secretValue: payloadPiece }), { minLength: 40, maxLength: 40 }), 1)[0] ?? [];
      const resources = cases.map(resourceOf);
      const exceptions = cases.flatMap((c, i) =>
        c.kind === "waived" ? [{ urn: (resources[i] as CapturedResource).urn, ...accountable, expires: EXPIRES }] : [],
      );
      const configuration = { [POLICY]: { exceptions } };
      await session.configure(configuration);
      // The tool reads payloads of the pack's Health Check policies: every policy of this pack is one.
      const info = await session.getAnalyzerInfo();
      const payloadPolicies = new Set(reportCatalogOf(info.policies).map((p) => p.name));
      expect([...payloadPolicies].sort()).toEqual(info.policies.map((p) => p.name).sort());
      expect(new Set(cases.map((c) => c.kind)).size).toBe(4);

      const classifier = (secrets: string[]) =>
        verdictClassifier(
          { [POLICY]: { enforcementLevel: "mandatory", exceptions } },
          new Map(resources.map((r) => [r.urn, waiverTarget(r)])),
          new Date(AS_OF),
          secrets,
          payloadPolicies,
        );
      let waivedIndex = 0;
      for (const [i, c] of cases.entries()) {
        const resource = resources[i] as CapturedResource;
        const diagnostics = (await session.analyze(resource)).filter((d) => d.policyName === POLICY);
        const expected: { payload: FindingPayload; level: string; status: string } =
          c.kind === "waived"
            ? { payload: { status: "waived", exception: waivedIndex++, expires: EXPIRES }, level: "advisory", status: "waived" }
            : c.kind === "pending"
              ? { payload: { status: "not_evaluated", pending: true }, level: "advisory", status: "not_evaluated" }
              : { payload: { status: "needs_review" }, level: "mandatory", status: "needs_review" };
        expect(diagnostics).toHaveLength(1);
        const diagnostic = diagnostics[0] as AnalyzerDiagnostic;
        expect({ payload: findingPayload(diagnostic), level: diagnostic.enforcementLevel }).toEqual({
          payload: expected.payload,
          level: expected.level,
        });
        expect(diagnostic.severity).toBe("critical");
        const verdict = classifier(c.kind === "secret" ? [`${c.text}${c.secretValue}`] : [])(diagnostic);
        expect(verdict.status).toBe(expected.status);
        // The payload is the last line, once; the report's message is the human one before it.
        const line = encodeFindingPayload(expected.payload);
        if (c.kind !== "secret") expect(diagnostic.message).toBe(`${diagnostic.description}\n${verdict.message}\n${line}`);
        expect(diagnostic.message.endsWith(`\n${line}`)).toBe(true);
        expect(verdict.message.endsWith(line)).toBe(false);
      }
    },
    SETUP_TIMEOUT_MS,
  );
});
