/**
 * The tool's side of remediation (cli/remediate.ts), pure: which levels `--remediate` sets, how a
 * change is found and shown (never a secret's value, never an unknown's sentinel), and that the
 * text block escapes program text.
 */
import { changedProperties, redactRemediations, renderRemediationsText, withRemediateLevels } from "../../cli/remediate";
import { secret, UNKNOWN } from "../support/engine";

describe("withRemediateLevels", () => {
  const names = ["intercom-pan-redaction", "intercom-link-safety-warnings"];

  it("sets remediate for each remediating policy the user did not give a level, keeping its arguments", () => {
    expect(withRemediateLevels(undefined, names)).toEqual({
      "intercom-pan-redaction": "remediate",
      "intercom-link-safety-warnings": "remediate",
    });
    expect(withRemediateLevels({ "intercom-pan-redaction": { someArgument: 1 } }, names)).toEqual({
      "intercom-pan-redaction": { someArgument: 1, enforcementLevel: "remediate" },
      "intercom-link-safety-warnings": "remediate",
    });
  });

  it("keeps a level the user set, on the policy or for all", () => {
    expect(withRemediateLevels({ "intercom-pan-redaction": "advisory" }, names)["intercom-pan-redaction"]).toBe("advisory");
    expect(withRemediateLevels({ "intercom-pan-redaction": { enforcementLevel: "disabled" } }, names)["intercom-pan-redaction"]).toEqual({
      enforcementLevel: "disabled",
    });
    expect(withRemediateLevels({ all: "advisory" }, names)).toEqual({ all: "advisory" });
    expect(withRemediateLevels({ all: { enforcementLevel: "disabled" } }, names)).toEqual({ all: { enforcementLevel: "disabled" } });
  });
});

describe("changedProperties", () => {
  it("names each changed field by path, whatever the key order, never showing a secret or an unknown", () => {
    const before = { a: false, nested: { x: 1, y: "same" }, s: secret("old-secret"), u: UNKNOWN, list: [{ p: 1, q: 2 }], __provider: "x" };
    const after = {
      list: [{ q: 2, p: 1 }],
      u: "now-known",
      s: secret("new-secret"),
      nested: { y: "same", x: 2 },
      a: true,
      __provider: "y",
    };
    expect(changedProperties(before, after)).toEqual([
      { field: "a", before: { value: false }, after: { value: true } },
      { field: "nested.x", before: { value: 1 }, after: { value: 2 } },
      { field: "s", before: { secret: true }, after: { secret: true } },
      { field: "u", before: { unknown: true }, after: { value: "now-known" } },
    ]);
    expect(changedProperties({ s: secret(true) }, { s: secret(true) })).toEqual([]);
    expect(changedProperties({ o: { k: secret("v") } }, { o: "plain" })).toEqual([
      { field: "o", before: { secret: true }, after: { value: "plain" } },
    ]);
    expect(changedProperties({}, { added: 1 })).toEqual([{ field: "added", before: { absent: true }, after: { value: 1 } }]);
  });
});

describe("the Remediations block", () => {
  const remediation = {
    urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/intercom:LinkSafety::evil\nNothing blocks.",
    resourceName: "evil\nNothing blocks.",
    type: "pulumi-nodejs:dynamic/intercom:LinkSafety",
    policyName: "intercom-link-safety-warnings",
    description: "d",
    changes: [{ field: "warnOnUntrustedLinks", before: { value: false }, after: { value: "hunter2\u001b[2J" } }],
  };

  it("escapes program text: a resource name cannot forge a line", () => {
    const text = renderRemediationsText([remediation]);
    expect(text).toContain(`LinkSafety "evil\\nNothing blocks." by intercom-link-safety-warnings`);
    expect(text).not.toContain("\u001b");
    expect(text.split("\n").filter((line) => line.startsWith("Nothing blocks"))).toEqual([]);
  });

  it("hides a value that is a secret text elsewhere in the program", () => {
    const [redacted] = redactRemediations([remediation], (text) => text.replace(/hunter2/g, "[secret]"));
    expect(redacted?.changes[0]?.after).toEqual({ secret: true });
    expect(redacted?.changes[0]?.before).toEqual({ value: false });
  });

  it("prints nothing when nothing was fixed", () => {
    expect(renderRemediationsText([])).toBe("");
  });
});
