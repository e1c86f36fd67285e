/**
 * Acme's Intercom policy pack: every policy of the Intercom Security Health Check, plus a rule of
 * Acme's own. Pulumi runs it like any TypeScript policy pack (run-policy-pack compiles index.ts
 * with ts-node); `startPolicyPack` gives Acme's rule the same handling as the pack's own: secret
 * values redacted from messages, values unknown during a preview reported, never passed.
 */
import { allPolicies, defineResourcePolicy, helpLinks, startPolicyPack, workspaceControl } from "intercom-security-health-check";

/** Every Acme workspace's display name starts with this, so audits tell Acme's workspaces from agencies' and test tenants. */
const companyPrefix = "Acme ";

// A policy name starts with "intercom-" and grades a Health Check row, as the pack's own do.
export const workspaceNamePrefix = defineResourcePolicy({
  name: "intercom-acme-workspace-name-prefix",
  id: "ACME.CFG.01",
  title: "Workspace names carry Acme's prefix",
  description: `Every Intercom workspace's name starts with "${companyPrefix}".`,
  items: ["config.workspace"],
  severity: "high",
  criticality: "SHALL", // SHALL blocks (mandatory) by default, SHOULD reports (advisory); enforcementLevel overrides
  rationale: "Acme's asset inventory and access reviews find workspaces by name; an unprefixed workspace escapes both.",
  remediation: [`Rename the workspace so that its name starts with "${companyPrefix}" (Settings > Workspace > General).`],
  helpUrl: helpLinks.healthCheck,
  frameworks: { iso27001: ["A.5.9"] },
  control: workspaceControl,
  check: (workspace) => (workspace.name.startsWith(companyPrefix) ? [] : [`The workspace's name does not start with "${companyPrefix}".`]),
});

startPolicyPack("acme-intercom-policies", {
  displayName: "Acme Intercom policies",
  description: "The Intercom Security Health Check, plus Acme's naming rule for workspaces.",
  policies: [...allPolicies, workspaceNamePrefix],
});
