import { ControlDefinition } from "../../core/control";
import { evaluateResourcePolicy } from "../../core/evaluate";
import {
  defineStackPolicy,
  FrameworkMappings,
  frameworkNames,
  maxSeverity,
  ResourcePolicy,
  StackPolicy,
  StackViolation,
} from "../../core/policy";
import { StackModel } from "../../core/stack-model";
import { workspaceControl } from "../../resources/workspace";

/**
 * A stack policy that grades one control's settings in the context of their workspace (2FA
 * matters only while password sign-in is possible): a workspace that declares none of the
 * control is graded on Intercom's default through it, in that same context.
 */
export interface SettingsGrading {
  readonly control: ControlDefinition;
  /** One message per problem with these settings in this workspace; none means they pass. */
  readonly gradeSettings: (settings: Record<string, unknown>, workspaceId: string, stack: StackModel) => string[];
}

export type SettingsGradingStackPolicy = StackPolicy & SettingsGrading;

/** A policy that fails a control's settings, and how it grades them in a workspace. */
interface DefaultGrader {
  readonly policy: ResourcePolicy | StackPolicy;
  readonly grade: (settings: Record<string, unknown>, workspaceId: string, stack: StackModel, now?: Date) => string[];
}

/**
 * For each control the Health Check grades, a stack policy that grades a workspace declaring
 * none on Intercom's default for it, through the same policies a declared one meets (its resource
 * policies, and the stack policies that grade its settings in their workspace). Generated so a control's default lives once, beside its schema, and its grading cannot drift.
 */
export function undeclaredControlPolicy(
  control: ControlDefinition,
  resourcePolicies: readonly ResourcePolicy[],
  settingsGradingPolicies: readonly SettingsGradingStackPolicy[] = [],
): StackPolicy | undefined {
  const defaults = control.intercomDefaults;
  if (!defaults) return undefined;
  const graders: DefaultGrader[] = [
    ...resourcePolicies
      .filter((p) => p.control === control)
      .map((policy): DefaultGrader => ({
        policy,
        grade: (settings, workspaceId, _stack, now) => gradeDefault(policy, settings, workspaceId, now),
      })),
    ...settingsGradingPolicies.filter((p) => p.control === control).map((policy) => ({ policy, grade: policy.gradeSettings })),
  ];
  // Whether a policy fails the default at all: in a workspace that declares nothing else.
  const nothingElse = StackModel.build([], []);
  const failingGraders = graders.filter((g) => defaults.some((settings) => g.grade(settings, "defaultws", nothingElse).length > 0));
  const failing = failingGraders.map((g) => g.policy);
  const [primary] = failing;
  if (!primary) {
    throw new Error(`${control.name} declares Intercom defaults but no policy fails on them: it would never be graded`);
  }
  const summary = control.intercomDefaultSummary ?? "Intercom's default settings";
  const kebab = control.name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  return defineStackPolicy(
    {
      name: `intercom-${kebab}-declared`,
      id: `IHC.DEF.${control.name}`,
      title: `${control.name} declared`,
      description: `Every workspace declares its ${control.name}; one that does not is graded on Intercom's default (${summary}).`,
      // The primary policy's row comes first, so this policy files under its section.
      items: [...new Set(failing.flatMap((p) => p.items))],
      severity: maxSeverity(failing.map((p) => p.severity)),
      criticality: failing.some((p) => p.criticality === "SHALL") ? "SHALL" : "SHOULD",
      // Blocks when a declared control with these settings would be blocked.
      enforcementLevel: failing.some((p) => p.enforcementLevel === "mandatory") ? "mandatory" : "advisory",
      rationale: `Intercom's default (${summary}) fails ${failing.map((p) => p.name).join(", ")}. A control nobody declared is graded on that default, never assumed safe.`,
      remediation: [`Declare a ${control.name} for the workspace with secure settings.`, ...primary.remediation],
      helpUrl: primary.helpUrl,
      frameworks: mergeFrameworks(failing.map((p) => p.frameworks)),
      // What the failing stack policies read decides their verdict on the default too.
      reads: [...new Set([workspaceControl, control, ...failing.flatMap((p) => (p.kind === "stack" ? p.reads : []))])],
      scope: "every-workspace",
      check: (stack, { now }) =>
        stack.instances(workspaceControl).flatMap((workspace) =>
          defaults
            .filter((settings) => !stack.declares(control, workspace.workspaceId, settings))
            .flatMap((settings): StackViolation[] => {
              const messages = failingGraders.flatMap((g) => g.grade(settings, workspace.workspaceId, stack, now));
              if (messages.length === 0) return [];
              const identity = control.identityFields.map((f) => ` for ${String(settings[f])}`).join("");
              return [
                {
                  urn: workspace.urn,
                  message: `Workspace "${workspace.settings.name}" (${workspace.workspaceId}) declares no ${control.name}${identity}, so it is graded on Intercom's default (${summary}): ${messages.join(" ")}`,
                },
              ];
            }),
        ),
    },
    { gradesDefaultOf: control },
  );
}

function gradeDefault(policy: ResourcePolicy, settings: Record<string, unknown>, workspaceId: string, now?: Date): string[] {
  const findings = evaluateResourcePolicy(policy, { name: "Intercom default", props: { ...settings, workspaceId } }, now ? { now } : {});
  return (findings ?? []).filter((f) => f.status !== "secure").map((f) => f.message);
}

function mergeFrameworks(all: readonly FrameworkMappings[]): FrameworkMappings {
  const keys = Object.keys(frameworkNames) as (keyof FrameworkMappings)[];
  return Object.fromEntries(
    keys.map((key) => [key, [...new Set(all.flatMap((f) => f[key] ?? []))]] as const).filter(([, refs]) => refs.length > 0),
  ) as FrameworkMappings;
}
