import { z } from "zod";
import { evaluateResourcePolicy, evaluateStackPolicy, EvaluationOptions, Finding } from "../../core/evaluate";
import {
  Accountability,
  defaultMaxExceptionDays,
  exceptionCovers,
  exceptionsOf,
  exceptionsPolicyName,
  hardMaxExceptionDays,
  levelChangesOf,
  PolicyException,
} from "../../core/exceptions";
import { displayValue } from "../../core/floors";
import { helpLinks } from "../../core/help-links";
import { AnyPolicy, defineStackPolicy, governedPolicy, RuleContext, StackViolation } from "../../core/policy";
import { StackModel } from "../../core/stack-model";
import { sealedEvaluation } from "../../core/unknowns";
import { frameworks } from "../support/frameworks";

const configSchema = z.strictObject({
  maxExceptionDays: z
    .number()
    .int()
    .min(1)
    .max(hardMaxExceptionDays)
    .default(defaultMaxExceptionDays)
    .describe(
      `How far ahead, in days, any exception or approval to run a policy below its default level may expire (at most ${hardMaxExceptionDays}).`,
    ),
});

/**
 * Accepted risks on the record. The pack's Configure refuses malformed exceptions, expiries beyond
 * `maxExceptionDays` and unaccounted SHALL downgrades (core/exceptions.ts); this policy shows what
 * is left to review: exceptions that match nothing or waive nothing (standing permissions waiting
 * for a resource to fit them), and every policy running below its default level, with who
 * accepted it, why and until when.
 */
export const policyExceptions = defineStackPolicy({
  name: exceptionsPolicyName,
  id: "IHC.CFG.04",
  title: "Accepted risks are current and on the record",
  description:
    "Every exception covers a resource in the stack that still has a finding of its policy, and every policy running below its default level is shown with its justification, owner, approver and expiry.",
  items: ["config.exceptions"],
  severity: "low",
  criticality: "SHOULD",
  rationale:
    "An exception that matches no resource, or waives no finding, is a standing permission that would waive a future finding nobody reviewed; a policy turned down is a risk accepted for the whole stack, which auditors ask about: who accepted it, why and until when.",
  remediation: [
    "Remove each exception that matches no resource or whose resource no longer has a finding of its policy.",
    "Review each policy running below its default level: restore its level, or renew its approval before it expires.",
  ],
  helpUrl: helpLinks.healthCheck,
  frameworks: { ...frameworks.configurationManagement, nist80053: ["CM-6"] },
  reads: [],
  scope: "every-workspace",
  configSchema,
  check: (stack, context) => [
    ...context.policies.flatMap((policy) => unneededExceptions(policy, stack, context)),
    ...levelChangesOf(context.policies.map(governedPolicy), context.packConfig).map((change): StackViolation => ({
      urn: "",
      message: `${change.policy} runs ${change.level} instead of ${change.defaultLevel}: ${describeAccountability(change.accountability)}.`,
    })),
  ],
});

/** The exceptions of one policy that match no resource, or cover one that has no finding of that policy. */
function unneededExceptions(policy: AnyPolicy, stack: StackModel, context: RuleContext<unknown>): StackViolation[] {
  const entry = context.packConfig[policy.name];
  const exceptions = exceptionsOf(entry);
  if (exceptions.length === 0) return [];
  const controls = [...stack.valid, ...stack.invalid].map((c) => {
    const workspaceId = stack.workspaceOf(c.urn);
    return { urn: c.urn, name: c.name, definitionName: c.definition.name, ...(workspaceId !== undefined ? { workspaceId } : {}) };
  });
  const hasFinding = findingsOn(policy, stack, {
    config: entry,
    now: context.now,
    packConfig: context.packConfig,
    policies: context.policies,
  });
  return exceptions.flatMap((exception): StackViolation[] => {
    const covered = controls.filter((c) => exceptionCovers(exception, c));
    if (covered.length === 0) {
      return [
        {
          urn: "",
          message: `${where(policy, exception)} (${describeTarget(exception)}) matches no resource in the stack: remove it, or correct the resource it names.`,
        },
      ];
    }
    return covered
      .filter((c) => hasFinding(c.urn) === false)
      .map((c) => ({
        urn: c.urn,
        message:
          `${where(policy, exception)} covers ${c.definitionName} "${c.name}", which has no finding of ${policy.name}: ` +
          `remove it (left in place, it would waive a future finding nobody reviewed).`,
      }));
  });
}

/**
 * Whether the policy, evaluated as configured, has a finding (waived or not) on the resource with
 * this urn: undefined when that cannot be told (it was not evaluated there), so nothing is claimed.
 */
function findingsOn(policy: AnyPolicy, stack: StackModel, options: EvaluationOptions): (urn: string) => boolean | undefined {
  const verdict = (findings: readonly Finding[]): boolean | undefined => {
    if (findings.some((f) => f.status === "needs_review" || f.status === "waived")) return true;
    return findings.some((f) => f.status === "not_evaluated") ? undefined : false;
  };
  // Whole policies run inside this rule: each reports its own values not known yet.
  if (policy.kind === "stack") {
    // This policy's own findings are never waived by re-evaluating itself.
    if (policy.name === exceptionsPolicyName) return () => undefined;
    let all: Finding[] | undefined;
    return (urn) => {
      all ??= sealedEvaluation(() => evaluateStackPolicy(policy, stack, options));
      const unattributed = all.filter((f) => f.urn === undefined && f.status === "not_evaluated");
      return verdict([...all.filter((f) => f.urn === urn), ...unattributed]);
    };
  }
  if (policy.kind === "resource") {
    return (urn) => {
      const control = stack.controlAt(urn);
      // A policy grades only its own control: on any other resource it never has a finding.
      if (!control || control.definition !== policy.control) return false;
      const findings = sealedEvaluation(() => evaluateResourcePolicy(policy, { name: control.name, urn, props: control.props }, options));
      return findings === undefined ? false : verdict(findings);
    };
  }
  // The schema policy's findings are never waived: Configure refuses its exceptions.
  return () => undefined;
}

function where(policy: AnyPolicy, exception: PolicyException): string {
  return `${policy.name} exceptions[${exception.index}]`;
}

function describeTarget(exception: PolicyException): string {
  return exception.urn !== undefined
    ? `urn ${displayValue(exception.urn)}`
    : `workspace ${displayValue(exception.workspace)}, resource ${displayValue(exception.resource)}`;
}

function describeAccountability(accountability: Accountability | undefined): string {
  if (!accountability) return "no justification, owner, approver or expiry given";
  return [
    `justification ${displayValue(accountability.justification)}`,
    `owner ${displayValue(accountability.owner)}`,
    `approver ${displayValue(accountability.approver)}`,
    ...(accountability.ticket !== undefined ? [`ticket ${displayValue(accountability.ticket)}`] : []),
    `until ${accountability.expires}`,
  ].join(", ");
}
