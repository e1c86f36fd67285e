/**
 * The floor of `preview`: the least any Pulumi policy run pays — load `@pulumi/pulumi` (as the program does) and start
 * a policy pack until it answers (the trivial pack, whose directory is the first argument).
 */
import { PolicyPackSession } from "../../cli/analyzer-client";

async function main(packDir: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("@pulumi/pulumi");
  const session = await PolicyPackSession.launch(packDir);
  await session.getAnalyzerInfo();
  await session.close();
}

main(process.argv[2] as string).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
