/**
 * The floor the pack is measured against: the least a `@pulumi/policy` pack can do — one resource policy and one
 * stack policy that each read one property. Whatever the SDK and gRPC cost is in this pack too, so a ratio against it
 * is the cost of this project's own work. bench/packs.ts writes its PulumiPolicy.yaml and package.json beside the
 * compiled file at run time (dist/ holds only what tsc emits).
 */
import { PolicyPack } from "@pulumi/policy";

new PolicyPack("bench-trivial-pack", {
  policies: [
    {
      name: "trivial-resource-policy",
      description: "Reads one property of each resource.",
      enforcementLevel: "advisory",
      validateResource: (args, reportViolation) => {
        if (args.props["workspaceId"] === "") {
          reportViolation("empty workspaceId");
        }
      },
    },
    {
      name: "trivial-stack-policy",
      description: "Reads one property of every resource of the stack.",
      enforcementLevel: "advisory",
      validateStack: (args, reportViolation) => {
        for (const resource of args.resources) {
          if (resource.props["workspaceId"] === "") {
            reportViolation("empty workspaceId", resource.urn);
          }
        }
      },
    },
  ],
});
