import type { FrameworkMappings } from "../core/policy";

/**
 * What an auditor files beside the Health Check: how the run was made (clock, tool, pack, input,
 * configuration, stack, commit) and a framework table, so that the report can be traced back and
 * checked again (`verify`). Every hash is SHA-256, hex, over a canonical JSON form; nothing here
 * is derived from a secret (secret values are replaced before hashing, never hashed).
 */
export interface RunEvidence {
  /** When the run started (ISO instant, the real clock). */
  readonly ranAt: string;
  /** The moment date-based rules were judged at (ISO): the injected clock, or ranAt. */
  readonly asOf: string;
  /** Whether asOf was injected (--as-of, INTERCOM_HEALTH_CHECK_AS_OF). */
  readonly clockInjected: boolean;
  readonly tool: { readonly name: string; readonly version: string };
  /** The pack that graded, and a hash of the policy set it described (GetAnalyzerInfo). */
  readonly pack: { readonly name: string; readonly version: string; readonly policySetSha256: string };
  /** What was graded: a Pulumi program (`preview`) or workspace documents (`check`). */
  readonly input: {
    readonly kind: "program" | "documents";
    readonly subject: string;
    /** Of the normalised resources graded, secrets replaced by a marker. */
    readonly sha256: string;
    readonly resourceCount: number;
  };
  /** The policy configuration the pack ran with (profile, arguments, exceptions, levels). */
  readonly configuration: {
    readonly profile?: string;
    readonly sha256: string;
    readonly policyConfig: Readonly<Record<string, unknown>>;
  };
  readonly stack?: string;
  readonly git?: { readonly commit: string; readonly dirty: boolean };
  readonly frameworks: readonly FrameworkRow[];
}

/** The statuses a framework reference can have: the worst of the Health Check rows its policies grade. */
export type FrameworkStatus = "Secure" | "Waived" | "Issues found" | "Not evaluated" | "Not in use";

/** One framework control reference and the policies mapped to it, with their combined status. */
export interface FrameworkRow {
  readonly framework: keyof FrameworkMappings;
  /** The framework's own label, e.g. "SOC 2". */
  readonly frameworkName: string;
  /** The control reference, e.g. "CC6.1". */
  readonly reference: string;
  readonly policies: readonly string[];
  readonly status: FrameworkStatus;
}
