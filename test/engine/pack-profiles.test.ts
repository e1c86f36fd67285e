/**
 * The shipped profiles as `pulumi preview --policy-pack-config` sends them: the compiled pack's
 * Configure accepts each file as is, and each changes the pack's verdicts on the examples as
 * documented (strict: everything mandatory, never fewer findings; hipaa: strict plus the healthcare
 * safeguards on workspaces that do not declare PHI).
 */
import * as fs from "fs";
import * as path from "path";
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { profileNames } from "../../core/profiles";
import {
  analyzeEverything,
  captureExample,
  ExampleName,
  launchPinnedPack,
  packDir,
  SETUP_TIMEOUT_MS,
  violationMessage,
} from "../support/engine";

const profile = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(packDir, "profiles", `${name}.json`), "utf8")) as Record<string, Record<string, unknown>>;
const key = (d: AnalyzerDiagnostic) => `${d.policyName} ${d.urn} ${d.message}`;
const examples: ExampleName[] = ["secure-workspace", "healthcare-workspace", "insecure-workspace"];

describe("the shipped profiles, through the pack's Configure", () => {
  let session: PolicyPackSession | undefined;
  const stacks = new Map<ExampleName, CapturedResource[]>();
  /** Diagnostics per profile and example. */
  const verdicts = new Map<string, AnalyzerDiagnostic[]>();

  beforeAll(async () => {
    const [launched, ...captured] = await Promise.all([launchPinnedPack(), ...examples.map(captureExample)]);
    session = launched;
    examples.forEach((name, i) => stacks.set(name, captured[i] as CapturedResource[]));
    for (const name of profileNames) {
      await launched.configure(profile(name) as never);
      for (const example of examples) verdicts.set(`${name} ${example}`, (await analyzeEverything(launched, stacks.get(example)!)).all);
    }
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await session?.close();
  });

  it("accepts every profile file as is", () => {
    expect([...verdicts.keys()]).toHaveLength(profileNames.length * examples.length);
  });

  it.each(examples.map((e) => [e] as const))("%s: baseline is the pack's defaults", async (example) => {
    await session!.configure({});
    const defaults = (await analyzeEverything(session!, stacks.get(example)!)).all;
    expect(
      verdicts
        .get(`baseline ${example}`)!
        .map((d) => [key(d), d.enforcementLevel])
        .sort(),
    ).toEqual(defaults.map((d) => [key(d), d.enforcementLevel]).sort());
  });

  it.each(examples.map((e) => [e] as const))("%s: strict blocks on every finding, and finds at least what baseline finds", (example) => {
    const strict = verdicts.get(`strict ${example}`)!;
    expect(strict.filter((d) => d.enforcementLevel !== "mandatory")).toEqual([]);
    const found = new Set(strict.map((d) => `${d.policyName} ${d.urn}`));
    expect(
      verdicts
        .get(`baseline ${example}`)!
        .filter((d) => !found.has(`${d.policyName} ${d.urn}`))
        .map(key),
    ).toEqual([]);
  });

  it("strict tightens arguments: the secure example passes baseline, and its 12-hour Messenger sessions block under strict's 8-hour maximum", () => {
    expect(verdicts.get("baseline secure-workspace")).toEqual([]);
    expect(verdicts.get("strict secure-workspace")!.map((d) => [d.policyName, d.enforcementLevel, violationMessage(d)])).toEqual([
      ["intercom-messenger-session-duration", "mandatory", "Messenger sessions last 720 minutes; the maximum is 480."],
    ]);
  });

  it.each(examples.map((e) => [e] as const))(
    "%s: hipaa is strict plus healthcare findings on workspaces that do not declare PHI",
    (example) => {
      const strict = new Set(verdicts.get(`strict ${example}`)!.map(key));
      const hipaa = verdicts.get(`hipaa ${example}`)!;
      const added = hipaa.filter((d) => !strict.has(key(d)));
      expect(hipaa.filter((d) => d.enforcementLevel !== "mandatory")).toEqual([]);
      expect(added.filter((d) => !d.policyName.startsWith("intercom-hipaa-")).map(key)).toEqual([]);
      expect(added.filter((d) => !d.message.includes("is held to the healthcare safeguards (everyWorkspace)")).map(key)).toEqual([]);
      expect([...strict].filter((k) => !hipaa.some((d) => key(d) === k))).toEqual([]);
      // Every declared workspace is held to the BAA, PHI or not.
      const workspaces = stacks.get(example)!.filter((r) => r.type.endsWith(":Workspace"));
      for (const ws of workspaces) {
        const declaresPhi = ws.properties["handlesPhi"] === true;
        const baa = hipaa.filter((d) => d.policyName === "intercom-hipaa-baa" && d.urn === ws.urn);
        if (!declaresPhi) expect(baa.length).toBeGreaterThan(0);
      }
    },
  );
});
