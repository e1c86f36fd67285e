/**
 * Checks every policy spec repeats: metadata sanity, a bad configuration and schema-invalid
 * props are never graded Secure. Each spec calls these beside its own mutation cases.
 */
import { z } from "zod";
import { SectionId } from "../../core/health-check";
import { AnyPolicy, StackPolicy, TypedResourcePolicy } from "../../core/policy";
import { StackResource } from "../../core/stack-model";
import { expectNotEvaluated, gradeRaw, gradeStack, invalidPropsFor, rawResource, urnOf } from "./fixtures";

const severities = ["low", "medium", "high", "critical"];

/** The hosts Intercom publishes help on; checked here independently of core/links. */
function isIntercomHttpsUrl(candidate: string): boolean {
  const url = new URL(candidate);
  return (
    url.protocol === "https:" &&
    (url.hostname === "intercom.com" || url.hostname.endsWith(".intercom.com")) &&
    url.port === "" &&
    url.username === "" &&
    url.password === ""
  );
}

export function itHasSaneMetadata(policy: AnyPolicy, section: SectionId): void {
  it("has sane metadata (intercom- name, its section, https help link on an Intercom host, rationale, remediation, frameworks)", () => {
    expect(policy.name).toMatch(/^intercom-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(policy.section).toBe(section);
    expect(isIntercomHttpsUrl(policy.helpUrl)).toBe(true);
    expect(severities).toContain(policy.severity);
    expect(policy.id).not.toBe("");
    expect(policy.title.trim()).not.toBe("");
    expect(policy.description.trim()).not.toBe("");
    expect(policy.rationale.trim().length).toBeGreaterThan(20);
    expect(policy.remediation.length).toBeGreaterThan(0);
    for (const step of policy.remediation) expect(step.trim()).not.toBe("");
    const refs = Object.values(policy.frameworks).flat();
    expect(refs.length).toBeGreaterThan(0);
    // Healthcare policies are HIPAA evidence first.
    if (section === "healthcare") expect(policy.frameworks.hipaa?.length ?? 0).toBeGreaterThan(0);
  });
}

/**
 * Metadata, an unknown configuration key, and props that do not match the schema. `applicable`
 * is a secure settings object the policy applies to, so the config check is actually reached.
 */
export function describeResourcePolicyBasics<S extends z.ZodObject, C extends z.ZodObject>(
  policy: TypedResourcePolicy<S, C>,
  section: SectionId,
  applicable: z.input<S>,
): void {
  describe("basics", () => {
    itHasSaneMetadata(policy, section);

    it("reports an unknown configuration key as not evaluated, naming the policy", () => {
      const findings = gradeRaw(policy, applicable as Record<string, unknown>, { config: { noSuchOption: true } });
      expectNotEvaluated(findings, "configuration", policy.name);
    });

    it("grades props with an unknown field as not evaluated, pointing at intercom-control-schema", () => {
      const findings = gradeRaw(policy, { ...(applicable as Record<string, unknown>), notAField: 1 }, { name: "broken" });
      expectNotEvaluated(findings, "does not match its schema", "intercom-control-schema", '"broken"');
    });

    it("grades props with a wrongly typed or missing field as not evaluated, never secure", () => {
      const props = applicable as Record<string, unknown>;
      expectNotEvaluated(gradeRaw(policy, { ...props, workspaceId: 12345 }));
      expectNotEvaluated(gradeRaw(policy, { ...props, workspaceId: "NOT AN APP ID" }));
      const { workspaceId: _omitted, ...withoutWorkspace } = props;
      expectNotEvaluated(gradeRaw(policy, withoutWorkspace));
    });

    it("files findings under the resource's urn", () => {
      const urn = urnOf(policy.control, "with-urn");
      const findings = gradeRaw(policy, applicable as Record<string, unknown>, { urn });
      expect(findings?.map((f) => f.urn)).toEqual([urn]);
    });
  });
}

/**
 * Metadata, an unknown configuration key, and an invalid instance of every control the policy
 * reads, added to `base()`: reported as not evaluated under that instance's urn, never skipped.
 */
export function describeStackPolicyBasics(policy: StackPolicy, section: SectionId, base: () => StackResource[]): void {
  describe("basics", () => {
    itHasSaneMetadata(policy, section);

    it("reports an unknown configuration key as not evaluated, naming the policy", () => {
      expectNotEvaluated(gradeStack(policy, base(), { config: { noSuchOption: true } }), "configuration", policy.name);
    });

    for (const control of policy.reads) {
      it(`reports an invalid ${control.name} it reads as not evaluated under that control's urn`, () => {
        const broken = rawResource(control, `broken-${control.name.toLowerCase()}`, invalidPropsFor(control));
        const notEvaluated = expectNotEvaluated(gradeStack(policy, [...base(), broken]), control.name, "does not match its schema");
        expect(notEvaluated.map((f) => f.urn)).toContain(broken.urn);
      });
    }
  });
}
