/**
 * A second floor, with this pack's surface: the same policies by name, description, enforcement level, severity,
 * configuration schema, tags, remediation steps, URL and framework, each resource policy applying to the same
 * control type, but every rule reading one property, as the trivial pack's do. bench/packs.ts writes the surface
 * (surface.json, from this pack's GetAnalyzerInfo and its policies' control types) beside the compiled file at run
 * time. A ratio against it leaves out what carrying this pack's policies' metadata through the SDK and gRPC costs any pack,
 * and keeps what this project's own code (its rules, zod, its seams) costs.
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyPack, PolicyPackArgs, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** One policy's surface: what GetAnalyzerInfo tells of it, and the control type a resource policy applies to. */
export interface SurfacePolicy {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
  readonly policyType: "resource" | "stack";
  readonly severity?: "low" | "medium" | "high" | "critical";
  readonly configSchema?: { properties: Record<string, object>; required: string[] };
  readonly tags: string[];
  readonly remediationSteps: string;
  readonly url: string;
  readonly framework?: { name: string; version: string; reference: string; specification: string };
  /** The control type a resource policy applies to; none for one that grades every resource. */
  readonly typeToken?: string;
}

const surface = JSON.parse(fs.readFileSync(path.join(__dirname, "surface.json"), "utf8")) as SurfacePolicy[];

function readOneProperty(args: ResourceValidationArgs, reportViolation: ReportViolation): void {
  if (args.props["workspaceId"] === "") reportViolation("empty workspaceId");
}

const policies: PolicyPackArgs["policies"] = surface.map((policy) => {
  const common = {
    name: policy.name,
    displayName: policy.displayName,
    description: policy.description,
    enforcementLevel: policy.enforcementLevel,
    tags: policy.tags,
    remediationSteps: policy.remediationSteps,
    url: policy.url,
    ...(policy.severity ? { severity: policy.severity } : {}),
    ...(policy.configSchema ? { configSchema: policy.configSchema } : {}),
    ...(policy.framework ? { framework: policy.framework } : {}),
  };
  if (policy.policyType === "stack") {
    return {
      ...common,
      validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const resource of args.resources) {
          if (resource.props["workspaceId"] === "") reportViolation("empty workspaceId", resource.urn);
        }
      },
    };
  }
  // As this pack's resource policies: the SDK skips other types without calling in (validateResourceOfType's marker).
  const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => readOneProperty(args, reportViolation);
  const validateResource = policy.typeToken ? Object.assign(validate, { __pulumiType: policy.typeToken }) : validate;
  return { ...common, validateResource };
});

new PolicyPack("bench-mirror-pack", { policies });
