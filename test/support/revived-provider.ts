import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";

const repositoryRoot = path.resolve(__dirname, "..", "..");

/**
 * A provider from dist/intercom/, serialized by Pulumi's closure serializer and revived as the dynamic-provider host
 * does, in a fresh Node process with the compiled package: configured with `token` as the stack's
 * `intercom:accessToken`, then asked to create `inputs` against `baseUrl`. Returns the serialized text and what
 * create answered.
 */
export async function createThroughRevivedProvider(
  providerFile: string,
  factory: string,
  options: { baseUrl: string; token: string; inputs: Record<string, unknown> },
): Promise<{ text: string; id: string; outs: Record<string, unknown> }> {
  const script = `
      const pulumi = require("@pulumi/pulumi");
      const requireFromString = require("require-from-string");
      const { ${factory} } = require(${JSON.stringify(path.join(repositoryRoot, "dist", "intercom", providerFile))});
      (async () => {
        const provider = ${factory}();
        const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        const revived = requireFromString(serialized.text).handler();
        await revived.configure({ config: { get: (key) => ({ "intercom:accessToken": process.env.TEST_TOKEN })[key], require: () => "" } });
        const created = await revived.create(JSON.parse(process.env.TEST_INPUTS));
        process.stdout.write(JSON.stringify({ text: serialized.text, id: created.id, outs: created.outs }));
      })().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH ?? "",
      INTERCOM_API_BASE_URL: options.baseUrl,
      TEST_TOKEN: options.token,
      TEST_INPUTS: JSON.stringify(options.inputs),
    },
  });
  return JSON.parse(stdout) as { text: string; id: string; outs: Record<string, unknown> };
}
