/**
 * examples/ci: the GitHub Actions workflow and the GitLab CI job, parsed as YAML (js-yaml), so a
 * copy-pasted file cannot call the tool with an option it does not have or a path the package does
 * not ship. Every `intercom-health-check` command line is checked against the compiled tool's own
 * `--help` for that command, every path into the package against what `npm pack` would ship, and
 * the SARIF and JUnit files the tool writes against what the CI step uploads.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";

// js-yaml ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

const repoRoot = path.resolve(__dirname, "..", "..");
const ciDir = path.join(repoRoot, "examples", "ci");
const cliPath = path.join(repoRoot, "dist", "cli", "main.js");
const packageName = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { name: string }).name;
const installed = `node_modules/${packageName}`;

type Yaml = Record<string, unknown>;

function load(file: string): Yaml {
  const document = yaml.load(fs.readFileSync(path.join(ciDir, file), "utf8"));
  expect(typeof document).toBe("object");
  return document as Yaml;
}

/** Shell words, with quotes removed; enough for these files (no expansions in the tool's arguments). */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? (m[3] as string));
}

/** Each command of a script: its lines, continuations joined, split at && and ;. */
function commands(script: string): string[][] {
  return script
    .replace(/\\\n/g, " ")
    .split(/\n|&&|;/)
    .map((line) => words(line.trim()))
    .filter((w) => w.length > 0 && !(w[0] as string).startsWith("#"));
}

/** The value of `--name value` or `--name=value`, every time it is given. */
function optionValues(argv: readonly string[], name: string): string[] {
  return argv.flatMap((arg, i) =>
    arg === name ? [argv[i + 1] as string] : arg.startsWith(`${name}=`) ? [arg.slice(name.length + 1)] : [],
  );
}

/** The options a command's `--help` lists (long forms). */
const helpCache = new Map<string, Set<string>>();
function toolOptions(command: string): Set<string> {
  let options = helpCache.get(command);
  if (!options) {
    if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first.`);
    const help = childProcess.execFileSync(process.execPath, [cliPath, command, "--help"], { encoding: "utf8" });
    options = new Set([...help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] as string));
    helpCache.set(command, options);
  }
  return options;
}

function toolCommands(): string[] {
  const help = childProcess.execFileSync(process.execPath, [cliPath, "--help"], { encoding: "utf8" });
  const section = help.slice(help.indexOf("Commands:"));
  return [...section.matchAll(/^\s{2}([a-z][a-z-]*)\b/gm)].map((m) => m[1] as string);
}

/** The files `npm pack` would ship (what a user's node_modules holds), without running the package's scripts. */
function packedFiles(): Set<string> {
  const out = childProcess.execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set(pack!.files.map((f) => f.path));
}

interface CiFile {
  readonly file: string;
  /** Every shell script line of the file, in order. */
  readonly scripts: readonly string[];
}

function githubScripts(workflow: Yaml): string[] {
  const jobs = workflow["jobs"] as Record<string, { steps: { run?: string }[] }>;
  return Object.values(jobs).flatMap((job) => job.steps.flatMap((step) => (step.run !== undefined ? [step.run] : [])));
}

function gitlabScripts(pipeline: Yaml): string[] {
  return Object.values(pipeline).flatMap((job) => {
    if (typeof job !== "object" || job === null) return [];
    const record = job as Record<string, unknown>;
    return ["before_script", "script", "after_script"].flatMap((key) => (Array.isArray(record[key]) ? (record[key] as string[]) : []));
  });
}

describe("examples/ci", () => {
  const workflow = load("github-actions.yml");
  const pipeline = load("gitlab-ci.yml");
  const files: CiFile[] = [
    { file: "github-actions.yml", scripts: githubScripts(workflow) },
    { file: "gitlab-ci.yml", scripts: gitlabScripts(pipeline) },
  ];
  const shipped = packedFiles();
  const commandsOf = (ci: CiFile) => ci.scripts.flatMap(commands);
  const toolRuns = (ci: CiFile) =>
    commandsOf(ci).flatMap((argv) => {
      const at = argv.indexOf("intercom-health-check");
      return at < 0 ? [] : [argv.slice(at + 1)];
    });
  const pulumiPreviews = (ci: CiFile) => commandsOf(ci).filter((argv) => argv[0] === "pulumi" && argv[1] === "preview");

  /** A path into the installed package must name a file the package ships (or the package itself). */
  function expectShipped(value: string): void {
    if (!value.startsWith(installed)) return;
    const inside = value.slice(installed.length).replace(/^\//, "");
    if (inside === "") {
      for (const required of ["PulumiPolicy.yaml", "package.json", "dist/pack/index.js"]) expect(shipped).toContain(required);
    } else {
      expect(shipped).toContain(inside);
    }
  }

  it.each(files.map((f) => [f.file, f] as const))("%s: runs the tool with only commands and options it has", (_file, ci) => {
    const runs = toolRuns(ci);
    expect(runs.length).toBeGreaterThan(0);
    const known = toolCommands();
    for (const argv of runs) {
      const [command, ...rest] = argv as [string, ...string[]];
      expect(known).toContain(command);
      const options = toolOptions(command);
      const unknown = rest
        .filter((a) => a.startsWith("--"))
        .map((a) => a.split("=")[0] as string)
        .filter((option) => !options.has(option));
      expect({ command, unknown }).toEqual({ command, unknown: [] });
      for (const name of ["--policy-pack", "--policy-pack-config"]) for (const value of optionValues(rest, name)) expectShipped(value);
    }
  });

  it.each(files.map((f) => [f.file, f] as const))(
    "%s: runs the real pulumi preview with the same pack and configuration as the tool",
    (_file, ci) => {
      const previews = pulumiPreviews(ci);
      expect(previews).toHaveLength(1);
      const [preview] = previews as [string[]];
      const [tool] = toolRuns(ci) as [string[]];
      for (const name of ["--policy-pack", "--policy-pack-config"]) {
        const values = optionValues(preview, name);
        expect(values).toHaveLength(1);
        expect(optionValues(tool, name)).toEqual(values);
        for (const value of values) expectShipped(value);
      }
    },
  );

  it("GitHub Actions: checks out, sets up Node, installs with npm ci and uploads the SARIF file the tool writes", () => {
    const steps = Object.values(
      workflow["jobs"] as Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>,
    ).flatMap((j) => j.steps);
    const uses = steps.flatMap((s) => (s.uses !== undefined ? [s.uses.split("@")[0]] : []));
    expect(uses).toEqual(expect.arrayContaining(["actions/checkout", "actions/setup-node", "github/codeql-action/upload-sarif"]));
    expect(steps.some((s) => s.run?.trim() === "npm ci")).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    const [tool] = toolRuns(files[0]!) as [string[]];
    const sarifOutputs = optionValues(tool, "--output")
      .filter((o) => o.startsWith("sarif="))
      .map((o) => o.slice("sarif=".length));
    expect(sarifOutputs).toEqual([upload?.with?.["sarif_file"]]);
    expect((workflow["permissions"] as Record<string, string>)["security-events"]).toBe("write");
  });

  it("GitLab CI: publishes the JUnit file the tool writes as the job's test report, even when the job fails", () => {
    const job = Object.values(pipeline).find((j): j is Yaml => typeof j === "object" && j !== null && "script" in j);
    // As parsed, not as hoped: a job without artifacts, or a report that is not the tool's file, fails the expectations.
    const artifacts = job?.["artifacts"] as { when?: unknown; reports?: { junit?: unknown } } | undefined;
    const [tool] = toolRuns(files[1]!) as [string[]];
    const junitOutputs = optionValues(tool, "--output")
      .filter((o) => o.startsWith("junit="))
      .map((o) => o.slice("junit=".length));
    expect(junitOutputs).toEqual([artifacts?.reports?.junit]);
    expect(artifacts?.when).toBe("always");
  });

  it("the checks can fail: an option the tool lacks and a path the package does not ship are caught", () => {
    expect(toolOptions("preview")).toContain("--output");
    expect(toolOptions("preview")).not.toContain("--sarif");
    expect(shipped).not.toContain("profiles/lenient.json");
    expect(shipped).not.toContain("test/cli/ci-formats.test.ts");
  });
});
