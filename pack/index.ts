/**
 * The policy pack's entry point: package.json `main` points at its compiled form, so
 * `pulumi preview --policy-pack <this package>` starts it without compiling TypeScript
 * (run-policy-pack requires the pack's directory, which Node resolves through `main`).
 * Requiring the package by name loads lib/index.ts instead (`exports`), which starts nothing.
 */
import { startPolicyPack } from "./policy-pack";

export { policyPackName } from "./policy-pack";

startPolicyPack();
