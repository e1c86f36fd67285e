/**
 * `npm run bench [-- --quick] [-- --only <name,…>]`: how far this project's pack and tool are from the cost of
 * Pulumi's own policy runtime. Every figure is a ratio against a floor measured in the same run, the two run
 * alternately (ABAB…) over several rounds, printed as the median with the lowest and highest round beside its target.
 * Not part of `npm test`: no test asserts a time. Results and the machine they were taken on go in BENCHMARKS.md.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CapturedResource, PolicyPackSession } from "../cli/analyzer-client";
import { describeMachine, machine } from "./machine";
import { launchMirrorPack, launchRealPack, launchTrivialPack, mirrorPackDir, trivialPackDir } from "./packs";
import { packPid, peakMemoryMb, resetPeakMemory, runNode } from "./processes";
import { alternate, elapsedMs, median, quantile, Ratio, ratioOf } from "./stats";
import { repositoryRoot, resourcesPerWorkspace, secretEnv, workspacesDocument, workspacesStack } from "./workload";

interface Settings {
  readonly quick: boolean;
  readonly startRounds: number;
  readonly analyzeRounds: number;
  readonly analyzeCallsPerRound: number;
  readonly stackSizes: readonly number[];
  readonly stackRounds: (size: number) => number;
  readonly previewExamples: readonly string[];
  readonly previewRounds: number;
  readonly checkWorkspaces: number;
  readonly checkRounds: number;
}

const full: Settings = {
  quick: false,
  startRounds: 7,
  analyzeRounds: 5,
  analyzeCallsPerRound: 400,
  stackSizes: [10, 100, 1000],
  stackRounds: (size) => (size >= 1000 ? 3 : 5),
  previewExamples: ["secure-workspace", "healthcare-workspace", "insecure-workspace", "declared-workspace"],
  previewRounds: 3,
  checkWorkspaces: 10_000,
  checkRounds: 3,
};

/** About a minute on an idle 2-core machine: every benchmark, smaller and fewer rounds. */
const quick: Settings = {
  quick: true,
  startRounds: 3,
  analyzeRounds: 3,
  analyzeCallsPerRound: 100,
  stackSizes: [10, 100],
  stackRounds: () => 3,
  previewExamples: ["secure-workspace"],
  previewRounds: 2,
  checkWorkspaces: 1_000,
  checkRounds: 2,
};

/** One line of the results: a subject's figure, its floor's, their ratio and the target the issue sets. */
interface Row {
  readonly name: string;
  readonly subject: string;
  readonly floor: string;
  readonly ratio?: Ratio;
  /** The most the ratio may be; undefined for figures reported without a target. */
  readonly target?: number;
  /** For a figure held to an absolute limit rather than a ratio: whether it is within it. */
  readonly withinLimit?: boolean;
  readonly note?: string;
}

const rows: Row[] = [];

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

function formatRatio(ratio: Ratio): string {
  return `${ratio.value.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

function verdict(row: Row): string {
  if (row.withinLimit !== undefined) return row.withinLimit ? "met" : "NOT MET";
  if (!row.ratio || row.target === undefined) return "";
  return row.ratio.value <= row.target ? "met" : "NOT MET";
}

function record(row: Row): void {
  rows.push(row);
  const ratio = row.ratio ? formatRatio(row.ratio) : "";
  const target = row.target !== undefined ? `target ≤ ${row.target}× ${verdict(row)}` : verdict(row);
  console.log(`  ${row.name}: ${row.subject} vs ${row.floor}  ${ratio}  ${target}${row.note ? `  (${row.note})` : ""}`);
}

async function timed<T>(action: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await action();
  return [elapsedMs(start), result];
}

/** Pack start: launching the compiled pack through run-policy-pack until it has answered GetAnalyzerInfo (and Configure, as the CLI does). */
async function benchPackStart(settings: Settings): Promise<void> {
  console.log("Pack start");
  const once = (launch: () => Promise<PolicyPackSession>) => async () => {
    const [time, session] = await timed(launch);
    await session.close();
    return [time];
  };
  const runs = await alternate(settings.startRounds, once(launchRealPack), once(launchTrivialPack));
  record({
    name: "pack start",
    subject: ms(median(runs.subject.flat())),
    floor: ms(median(runs.floor.flat())),
    ratio: ratioOf(runs.subject, runs.floor),
    target: 1.15,
  });
  // No target: against the pack with this one's surface and trivial rules (bench/mirror-pack).
  const surfaceFrom = await launchRealPack();
  const mirror = await mirrorPackDir(surfaceFrom).finally(() => surfaceFrom.close());
  const mirrored = await alternate(
    settings.startRounds,
    once(launchRealPack),
    once(() => launchMirrorPack(mirror)),
  );
  record({
    name: "pack start, this pack vs the mirror pack",
    subject: ms(median(mirrored.subject.flat())),
    floor: ms(median(mirrored.floor.flat())),
    ratio: ratioOf(mirrored.subject, mirrored.floor),
    note: "floor: bench/mirror-pack, this pack's policies, metadata and schemas with trivial rules",
  });
}

/** Per-call latencies of `calls` Analyze calls over `resources` (cycled), with `inFlight` calls outstanding at a time. */
async function analyzeLatencies(
  session: PolicyPackSession,
  resources: readonly CapturedResource[],
  calls: number,
  inFlight: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const resource = resources[next++ % resources.length] as CapturedResource;
      const [time] = await timed(() => session.analyze(resource));
      latencies.push(time);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return latencies;
}

async function benchAnalyze(settings: Settings, real: PolicyPackSession, trivial: PolicyPackSession): Promise<void> {
  console.log("Analyze");
  // One workspace with every control: each call analyzes one of its resources in turn.
  const resources = workspacesStack(1).slice(1);
  for (const session of [real, trivial]) await analyzeLatencies(session, resources, 50, 1); // warm up both
  const mirror = await launchMirrorPack(await mirrorPackDir(real));
  try {
    await analyzeLatencies(mirror, resources, 50, 1);
    for (const inFlight of [1, 8]) {
      const runs = await alternate(
        settings.analyzeRounds,
        () => analyzeLatencies(real, resources, settings.analyzeCallsPerRound, inFlight),
        () => analyzeLatencies(mirror, resources, settings.analyzeCallsPerRound, inFlight),
      );
      // No target: against the pack with this one's surface and trivial rules (bench/mirror-pack).
      record({
        name: `Analyze median, ${inFlight === 1 ? "one at a time" : `${inFlight} in flight`}, this pack vs the mirror pack`,
        subject: ms(median(runs.subject.flat())),
        floor: ms(median(runs.floor.flat())),
        ratio: ratioOf(runs.subject, runs.floor),
        note: "floor: bench/mirror-pack, this pack's policies, metadata and schemas with trivial rules",
      });
    }
  } finally {
    await mirror.close();
  }
  for (const inFlight of [1, 8]) {
    const runs = await alternate(
      settings.analyzeRounds,
      () => analyzeLatencies(real, resources, settings.analyzeCallsPerRound, inFlight),
      () => analyzeLatencies(trivial, resources, settings.analyzeCallsPerRound, inFlight),
    );
    const label = inFlight === 1 ? "one at a time" : `${inFlight} in flight`;
    const p99 = (values: readonly number[]) => quantile(values, 0.99);
    record({
      name: `Analyze median, ${label}`,
      subject: ms(median(runs.subject.flat())),
      floor: ms(median(runs.floor.flat())),
      ratio: ratioOf(runs.subject, runs.floor),
      target: 1.2,
    });
    record({
      name: `Analyze p99, ${label}`,
      subject: ms(p99(runs.subject.flat())),
      floor: ms(p99(runs.floor.flat())),
      ratio: ratioOf(runs.subject, runs.floor, p99),
      target: 1.2,
    });
  }
}

async function benchAnalyzeStack(settings: Settings, real: PolicyPackSession, trivial: PolicyPackSession): Promise<void> {
  console.log(`AnalyzeStack (every control: ${resourcesPerWorkspace()} resources per workspace)`);
  const realPid = packPid(real);
  const trivialPid = packPid(trivial);
  const medians = new Map<number, { real: number; trivial: number }>();
  for (const size of settings.stackSizes) {
    const stack = workspacesStack(size);
    const resetReal = resetPeakMemory(realPid);
    const resetTrivial = resetPeakMemory(trivialPid);
    const once = (session: PolicyPackSession) => async () => [(await timed(() => session.analyzeStack(stack)))[0]];
    const runs = await alternate(settings.stackRounds(size), once(real), once(trivial));
    medians.set(size, { real: median(runs.subject.flat()), trivial: median(runs.floor.flat()) });
    record({
      name: `AnalyzeStack, ${size} workspaces (${stack.length} resources)`,
      subject: ms(median(runs.subject.flat())),
      floor: ms(median(runs.floor.flat())),
      ratio: ratioOf(runs.subject, runs.floor),
      target: size >= 1000 ? 2 : undefined,
    });
    const realPeak = peakMemoryMb(realPid);
    const trivialPeak = peakMemoryMb(trivialPid);
    if (realPeak !== undefined && trivialPeak !== undefined) {
      const ratio = realPeak / trivialPeak;
      record({
        name: `pack peak memory (VmHWM), ${size} workspaces`,
        subject: `${realPeak.toFixed(0)} MB`,
        floor: `${trivialPeak.toFixed(0)} MB`,
        ratio: { value: ratio, min: ratio, max: ratio },
        target: size >= 1000 ? 1.5 : undefined,
        note: resetReal && resetTrivial ? "peak since this size began" : "peak since the pack started (the kernel refused a reset)",
      });
    }
  }
  const sizes = settings.stackSizes;
  for (let i = 1; i < sizes.length; i++) {
    const [from, to] = [sizes[i - 1] as number, sizes[i] as number];
    const a = medians.get(from) as { real: number; trivial: number };
    const b = medians.get(to) as { real: number; trivial: number };
    const linear = to / from;
    record({
      name: `AnalyzeStack growth ${from}→${to} workspaces (linear: ${linear}×)`,
      subject: `${(b.real / a.real).toFixed(1)}×`,
      floor: `${(b.trivial / a.trivial).toFixed(1)}× (trivial pack)`,
      note: `pack's growth is ${((b.real / a.real / linear) * 100).toFixed(0)}% of linear`,
    });
  }
}

const cliMain = path.join(repositoryRoot, "dist", "cli", "main.js");

/** A run of the tool or a floor that must not have failed (exit codes 0 and 1 are verdicts; anything else is an error). */
async function runChecked(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; peakTreeMemoryMb: number }> {
  const run = await runNode(args, { cwd: repositoryRoot, env });
  if (run.exitCode !== 0 && run.exitCode !== 1) {
    throw new Error(`node ${args.join(" ")} exited ${String(run.exitCode)}:\n${run.stderr}`);
  }
  return run;
}

async function benchPreview(settings: Settings): Promise<void> {
  console.log("preview (dist/cli/main.js, end to end)");
  const floorScript = path.join(__dirname, "floors", "pulumi-and-empty-pack.js");
  const packDir = trivialPackDir();
  for (const example of settings.previewExamples) {
    // declared-workspace's stack config holds an encrypted secret the tool takes from the environment instead.
    const extra = example === "declared-workspace" ? ["--secret-env", "webMessengerSecret=WEB_MESSENGER_SECRET"] : [];
    const runs = await alternate(
      settings.previewRounds,
      async () => [(await runChecked([cliMain, "preview", path.join("examples", example), ...extra], secretEnv)).ms],
      async () => [(await runChecked([floorScript, packDir])).ms],
    );
    record({
      name: `preview examples/${example}`,
      subject: ms(median(runs.subject.flat())),
      floor: ms(median(runs.floor.flat())),
      ratio: ratioOf(runs.subject, runs.floor),
      target: 1.5,
      note: "floor: load @pulumi/pulumi + start the trivial pack",
    });
  }
  // No target: how much of a preview is this pack, the rest (the program, its type-check) being the same.
  const [first] = settings.previewExamples;
  if (first !== undefined && first !== "declared-workspace") {
    const program = path.join("examples", first);
    const runs = await alternate(
      settings.previewRounds,
      async () => [(await runChecked([cliMain, "preview", program], secretEnv)).ms],
      async () => [(await runChecked([cliMain, "preview", "--policy-pack", packDir, program], secretEnv)).ms],
    );
    record({
      name: `preview examples/${first}, this pack vs the trivial pack`,
      subject: ms(median(runs.subject.flat())),
      floor: ms(median(runs.floor.flat())),
      ratio: ratioOf(runs.subject, runs.floor),
      note: "floor: the same preview with --policy-pack bench/trivial-pack: the program and its type-check are in both",
    });
  }
}

const CHECK_MEMORY_LIMIT_MB = 500;

async function benchCheck(settings: Settings): Promise<void> {
  const count = settings.checkWorkspaces;
  console.log(`check (${count} workspaces, workspace settings only: check refuses more than 10,000 resources)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-check-"));
  try {
    const file = path.join(dir, "workspaces.json");
    fs.writeFileSync(file, JSON.stringify(workspacesDocument(count, { controls: false })));
    const floorScript = path.join(__dirname, "floors", "validate-document.js");
    const peaks: number[] = [];
    const runs = await alternate(
      settings.checkRounds,
      async () => {
        const run = await runChecked([cliMain, "check", file]);
        peaks.push(run.peakTreeMemoryMb);
        return [run.ms];
      },
      async () => [(await runChecked([floorScript, file])).ms],
    );
    record({
      name: `check, ${count} workspaces`,
      subject: ms(median(runs.subject.flat())),
      floor: ms(median(runs.floor.flat())),
      ratio: ratioOf(runs.subject, runs.floor),
      target: 3,
      note: `floor: parse + schema-validate the document; ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`,
    });
    const peak = Math.max(...peaks);
    record({
      name: `check peak memory, ${count} workspaces`,
      subject: `${peak.toFixed(0)} MB`,
      floor: "limit 500 MB",
      withinLimit: peak <= CHECK_MEMORY_LIMIT_MB,
      note: "tool + pack: the sum of each process's VmHWM, sampled every 50 ms",
    });
    // No target: the same check with the trivial pack, which finds nothing, so the ratio is what this pack's
    // findings (and their report) cost on top of the tool and a pack.
    const trivialPeaks: number[] = [];
    const againstTrivial = await alternate(
      settings.checkRounds,
      async () => [(await runChecked([cliMain, "check", file])).ms],
      async () => {
        const run = await runChecked([cliMain, "check", "--policy-pack", trivialPackDir(), file]);
        trivialPeaks.push(run.peakTreeMemoryMb);
        return [run.ms];
      },
    );
    record({
      name: `check, ${count} workspaces, this pack vs the trivial pack`,
      subject: ms(median(againstTrivial.subject.flat())),
      floor: ms(median(againstTrivial.floor.flat())),
      ratio: ratioOf(againstTrivial.subject, againstTrivial.floor),
      note: `floor: the same check with --policy-pack bench/trivial-pack (no findings; peak ${Math.max(...trivialPeaks).toFixed(0)} MB)`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function markdownTable(): string {
  const lines = ["| Benchmark | This project | Floor | Ratio (lowest–highest round) | Target | |", "|---|---|---|---|---|---|"];
  for (const row of rows) {
    const target = row.target !== undefined ? `≤ ${row.target}×` : "";
    const ratio = row.ratio ? formatRatio(row.ratio) : (row.note ?? "");
    lines.push(`| ${row.name} | ${row.subject} | ${row.floor} | ${ratio} | ${target} | ${verdict(row)} |`);
  }
  return lines.join("\n");
}

const benchmarks = ["start", "analyze", "stack", "preview", "check"] as const;

async function main(argv: readonly string[]): Promise<void> {
  const settings = argv.includes("--quick") ? quick : full;
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? "").split(",")) : new Set<string>(benchmarks);
  const unknown = [...only].filter((name) => !(benchmarks as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`Unknown benchmark(s) ${unknown.join(", ")}; choose from ${benchmarks.join(", ")}.`);

  const before = machine();
  const started = process.hrtime.bigint();
  console.log(`${settings.quick ? "Quick" : "Full"} bench on ${describeMachine(before)}`);
  if (only.has("start")) await benchPackStart(settings);
  if (only.has("analyze") || only.has("stack")) {
    const [real, trivial] = await Promise.all([launchRealPack(), launchTrivialPack()]);
    try {
      if (only.has("analyze")) await benchAnalyze(settings, real, trivial);
      if (only.has("stack")) await benchAnalyzeStack(settings, real, trivial);
    } finally {
      await Promise.all([real.close(), trivial.close()]);
    }
  }
  if (only.has("preview")) await benchPreview(settings);
  if (only.has("check")) await benchCheck(settings);
  const after = machine();
  console.log(`\nTook ${ms(elapsedMs(started))}; load average before ${before.load.join(" / ")}, after ${after.load.join(" / ")}.\n`);
  console.log(markdownTable());
  const missed = rows.filter((row) => verdict(row) === "NOT MET").map((row) => row.name);
  console.log(missed.length > 0 ? `\nTargets not met: ${missed.join("; ")}.` : "\nEvery target met.");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
