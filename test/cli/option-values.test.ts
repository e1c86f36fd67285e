/**
 * Commander quotes an unknown option as typed; typed with its value attached (`--secrte=key=value`, a typo of
 * --secret) that would show the value. Through the compiled tool's own main(), in process (`npm run build` first):
 * argument errors stop before anything runs.
 */
import fc from "fast-check";
import { propertyParameters } from "../support/property";

// The compiled tool: main() reads the package's version relative to dist/cli.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require("../../dist/cli/main.js") as typeof import("../../cli/main");

async function outputOf(argv: readonly string[]): Promise<{ code: number; output: string }> {
  let output = "";
  const capture = (chunk: unknown) => {
    output += String(chunk);
    return true;
  };
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(capture);
  try {
    return { code: await main(argv), output };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe("a mistyped option with its value attached", () => {
  it("generated: whatever the value holds (quotes, newlines, '='), no part of it is shown, as text or JSON", async () => {
    const marker = fc.stringMatching(/^[A-Za-z0-9]{8}$/).map((w) => `Zq${w}`);
    const value = fc
      .tuple(fc.string({ maxLength: 6 }), fc.constantFrom("", "'", "\n", "'\n", "' ", "''", "='"), marker, fc.string({ maxLength: 6 }))
      .map(([before, separator, word, after]) => ({ text: before + separator + word + after, word }));
    await fc.assert(
      fc.asyncProperty(
        value,
        fc.constantFrom("--secrte", "--secret-evn", "--sékret", "-s"),
        fc.boolean(),
        async ({ text, word }, option, json) => {
          const run = await outputOf([
            "preview",
            "examples/secure-workspace",
            `${option}=webMessengerSecret=${text}`,
            ...(json ? ["--json"] : []),
          ]);
          expect(run.code).toBe(2);
          expect(run.output).toContain(`${option}=…`);
          expect(run.output).not.toContain(word);
        },
      ),
      propertyParameters(100),
    );
  });
});
