/**
 * Every policy of the pack. A policy is one file, policies/<section>/<name>.ts for the policy
 * `intercom-<name>` (metadata beside the check; its section follows from its Health Check rows),
 * with its spec in test/policies/<section>/<name>.test.ts. `npm run generate` lists it in
 * ./registry.ts (CI's `npm run check-generated` fails while it is not listed); nothing here changes.
 * Each control with Intercom defaults also gets a generated intercom-<control>-declared policy.
 */
import { healthCheckSections } from "../core/health-check";
import { AnyPolicy, ResourcePolicy, SchemaPolicy, StackPolicy } from "../core/policy";
import { allControls } from "../resources";
import * as registry from "./registry";
import { SettingsGradingStackPolicy, undeclaredControlPolicy } from "./support/undeclared-controls";

const kindOrder: readonly AnyPolicy["kind"][] = ["schema", "resource", "stack"];
const sectionOrder = healthCheckSections.map((section) => section.id);

/** The policy files' policies: by kind, then Health Check section, then id (two digits, checked at definition). */
const defined: readonly AnyPolicy[] = Object.values(registry).sort(
  (a, b) =>
    kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
    sectionOrder.indexOf(a.section) - sectionOrder.indexOf(b.section) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
);

const schemaPolicies = defined.filter((policy): policy is SchemaPolicy => policy.kind === "schema");

/** Resource policies: what one control shows. */
export const resourcePolicies: readonly ResourcePolicy[] = defined.filter((policy): policy is ResourcePolicy => policy.kind === "resource");

const definedStackPolicies = defined.filter((policy): policy is StackPolicy => policy.kind === "stack");

/** Stack policies that grade one control's settings in their workspace's context. */
const settingsGradingPolicies = definedStackPolicies.filter((policy): policy is SettingsGradingStackPolicy => "gradeSettings" in policy);

/** Stack policies: what needs the whole stack, then each undeclared control graded on Intercom's default. */
export const stackPolicies: readonly StackPolicy[] = [
  ...definedStackPolicies,
  ...allControls.flatMap((control) => undeclaredControlPolicy(control, resourcePolicies, settingsGradingPolicies) ?? []),
];

export const allPolicies: readonly AnyPolicy[] = [...schemaPolicies, ...resourcePolicies, ...stackPolicies];

const names = new Set<string>();
const ids = new Set<string>();
for (const policy of allPolicies) {
  if (names.has(policy.name)) throw new Error(`Duplicate policy name ${policy.name}`);
  if (ids.has(policy.id)) throw new Error(`Duplicate policy id ${policy.id}`);
  names.add(policy.name);
  ids.add(policy.id);
}

export function findPolicy(name: string): AnyPolicy | undefined {
  return allPolicies.find((p) => p.name === name);
}
