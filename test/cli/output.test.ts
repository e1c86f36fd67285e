/** Format options and the GitHub escaping, as pure functions (the formats themselves: formats.test.ts). */
import fc from "fast-check";
import { jsonOnStdout, planOutputs } from "../../cli/output";
import { escapeCommandData, escapeCommandProperty } from "../../report/github";
import { typeOfUrn } from "../../report/sarif";
import { propertyParameters } from "../support/property";

const unescapeCommand = (text: string) =>
  text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");

const commandText = fc.string({
  unit: fc.constantFrom("%", "\r", "\n", ":", ",", "a", "0", "A", "D", "::", "%0A", "%25") as fc.Arbitrary<string>,
});

describe("GitHub workflow command escaping", () => {
  it("data: no CR or LF survives, and the runner's unescaping gives the text back", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const escaped = escapeCommandData(text);
        expect(escaped).not.toMatch(/[\r\n]/);
        expect(unescapeCommand(escaped)).toBe(text);
      }),
      propertyParameters(300),
    );
  });

  it("a property: no CR, LF, ':' or ',' survives, and it unescapes to the text", () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const escaped = escapeCommandProperty(text);
        expect(escaped).not.toMatch(/[\r\n:,]/);
        expect(unescapeCommand(escaped)).toBe(text);
      }),
      propertyParameters(300),
    );
  });
});

describe("--format and --output", () => {
  it("text on stdout by default; --json is --format json", () => {
    expect(planOutputs([], [], false)).toEqual({ stdout: "text", files: [] });
    expect(planOutputs([], [], true)).toEqual({ stdout: "json", files: [] });
    expect(planOutputs(["JSON"], [], false)).toEqual({ stdout: "json", files: [] });
  });

  it("several formats: comma-separated or repeated, the ones given a file go there", () => {
    expect(planOutputs(["github,sarif"], ["sarif=out.sarif"], false)).toEqual({
      stdout: "github",
      files: [{ format: "sarif", file: "out.sarif" }],
    });
    expect(planOutputs(["github", "junit"], ["junit=a=b.xml"], false)).toEqual({
      stdout: "github",
      files: [{ format: "junit", file: "a=b.xml" }],
    });
    // Only files: stdout gets the text unless a format was asked for.
    expect(planOutputs([], ["sarif=x"], false).stdout).toBe("text");
    expect(planOutputs(["sarif"], ["sarif=x"], false).stdout).toBeUndefined();
  });

  it("refuses two formats on stdout, an unknown format, a malformed --output and one file twice", () => {
    expect(() => planOutputs(["text,json"], [], false)).toThrow(/only one format/);
    expect(() => planOutputs(["text"], [], true)).toThrow(/only one format/);
    expect(() => planOutputs(["xml"], [], false)).toThrow(/not a format/);
    expect(() => planOutputs([], ["sarif"], false)).toThrow(/expected <format>=<file>/);
    expect(() => planOutputs([], ["=x"], false)).toThrow(/expected <format>=<file>/);
    expect(() => planOutputs([], ["sarif="], false)).toThrow(/expected <format>=<file>/);
    expect(() => planOutputs([], ["sarif=x", "junit=./x"], false)).toThrow(/given twice/);
  });

  it("knows before parsing whether an error goes to stdout as JSON", () => {
    expect(jsonOnStdout(["preview", "dir", "--json"])).toBe(true);
    expect(jsonOnStdout(["preview", "dir", "--format", "sarif,json"])).toBe(true);
    expect(jsonOnStdout(["preview", "dir", "--format=json"])).toBe(true);
    expect(jsonOnStdout(["preview", "dir", "--format", "json", "--output", "json=x"])).toBe(false);
    expect(jsonOnStdout(["preview", "dir", "--", "--json"])).toBe(false);
    expect(jsonOnStdout(["preview", "dir"])).toBe(false);
  });
});

describe("SARIF resource types", () => {
  it("reads the type from a URN, after any parent types", () => {
    expect(typeOfUrn("urn:pulumi:dev::proj::pulumi-nodejs:dynamic/intercom:SsoEnforcement::a::b")).toBe(
      "pulumi-nodejs:dynamic/intercom:SsoEnforcement",
    );
    expect(typeOfUrn("urn:pulumi:dev::proj::my:component$intercom:X::name")).toBe("intercom:X");
    expect(typeOfUrn("not a urn")).toBeUndefined();
  });
});
