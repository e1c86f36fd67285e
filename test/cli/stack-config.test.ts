/**
 * Stack configuration as Pulumi assembles it (cli/stack-config.ts), over generated project files, stack files and
 * command lines: keys (namespaced, unnamespaced, the old `ns:config:key`, Unicode), values (scalars in every YAML
 * notation, nested mappings and lists, Unicode), `secure:` values, and the precedence project < stack < command line.
 * No run spawns anything: these are the pure functions, from the files' texts.
 */
import fc from "fast-check";
import { InputError, UsageError } from "../../cli/errors";
import { goJson, matchesDeclaredType, qualifiedKey, resolveStackConfiguration, StackConfigSources } from "../../cli/stack-config";
import { propertyParameters } from "../support/property";

const project = "acme-project";
const base = { stack: "dev", projectFile: "/p/Pulumi.yaml", stackFile: "/p/Pulumi.dev.yaml" } as const;

function resolve(sources: Partial<StackConfigSources> & { projectText?: string }) {
  return resolveStackConfiguration({ ...base, projectText: `name: ${project}\nruntime: nodejs\n`, ...sources });
}

/** What resolve throws, or undefined. */
function failure(run: () => unknown): Error | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** A YAML double-quoted scalar: printable ASCII as is, everything else escaped (\u, \U), so any text round-trips. */
function yamlString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** A value as a YAML flow node (JSON-like, strings via yamlString). */
function yamlFlow(value: unknown): string {
  if (typeof value === "string") return yamlString(value);
  if (Array.isArray(value)) return `[${value.map(yamlFlow).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${yamlString(k)}: ${yamlFlow(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

// Key names: identifier-like, with Unicode letters and the punctuation Pulumi keys carry.
const keyName = fc
  .tuple(
    fc.constantFrom("a", "b", "x", "db", "é", "ключ", "名", "k"),
    fc.array(fc.constantFrom("a", "Z", "0", "9", "_", "-", ".", "ü", "字", "x"), { maxLength: 8 }),
  )
  .map(([first, rest]) => first + rest.join(""));
const namespace = fc.constantFrom(project, "aws", "intercom", "kubernetes", "ns-ü");

const text = fc.string({ unit: "grapheme", maxLength: 20 });
const nested: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const nestedObjectOrList = fc.oneof(
  fc.array(nested, { minLength: 1, maxLength: 4 }),
  fc.dictionary(text, nested, { minKeys: 1, maxKeys: 4 }),
);

/** Plain YAML scalars in the notations people write: the stack keeps each exactly as written. */
const plainScalar = fc.oneof(
  fc.integer({ min: -99_999, max: 99_999 }).map(String),
  fc.integer({ min: 0, max: 0xffff }).map((n) => `0x${n.toString(16).toUpperCase()}`),
  fc.integer({ min: 0, max: 0o777 }).map((n) => `0o${n.toString(8)}`),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom("0", "50", "500", "25e3")).map(([a, b]) => `${a}.${b}`),
  fc.constantFrom(
    "true",
    "false",
    "True",
    "yes",
    "no",
    "on",
    "off",
    "2026-11-21",
    ".inf",
    "-.Inf",
    "1_000",
    "t3.micro",
    "us-east-1",
    "+12",
    "007",
  ),
);

describe("values from the stack file", () => {
  it("generated: a scalar reaches the program exactly as written, whatever YAML would read it as", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(keyName, plainScalar), { minLength: 1, maxLength: 6, selector: ([k]) => k }), (entries) => {
        const stackText = `config:\n${entries.map(([k, v]) => `  ${project}:${k}: ${v}`).join("\n")}\n`;
        const { config, secretKeys } = resolve({ stackText });
        expect(config).toEqual(Object.fromEntries(entries.map(([k, v]) => [`${project}:${k}`, v])));
        expect(secretKeys).toEqual([]);
      }),
      propertyParameters(100),
    );
  });

  it("generated: a quoted string, any Unicode, reaches the program unchanged", () => {
    fc.assert(
      fc.property(namespace, keyName, text, (ns, key, value) => {
        const { config } = resolve({ stackText: `config:\n  ${yamlString(`${ns}:${key}`)}: ${yamlString(value)}\n` });
        expect(config).toEqual({ [`${ns}:${key}`]: value });
      }),
      propertyParameters(100),
    );
  });

  it("generated: a mapping or list reaches the program as JSON with keys in Go's order (sorted by UTF-8 bytes)", () => {
    fc.assert(
      fc.property(keyName, nestedObjectOrList, (key, value) => {
        const { config } = resolve({ stackText: `config:\n  ${project}:${key}: ${yamlFlow(value)}\n` });
        const json = config[`${project}:${key}`] as string;
        expect(JSON.parse(json)).toEqual(value);
        expect(json).toBe(goJson(value, "test"));
        for (const object of objectsIn(JSON.parse(json))) {
          const keys = Object.keys(object);
          expect(keys).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
        }
        // Go's encoder escapes HTML characters and the JavaScript line separators.
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
      }),
      propertyParameters(100),
    );
  });

  it("an empty or null value is the empty string, as Go's decoder reads it", () => {
    expect(resolve({ stackText: `config:\n  ${project}:a:\n  ${project}:b: ~\n  ${project}:c: ""\n` }).config).toEqual({
      [`${project}:a`]: "",
      [`${project}:b`]: "",
      [`${project}:c`]: "",
    });
  });

  it("the old ns:config:key form names the same key; a key without a namespace is refused in a stack file, as Pulumi refuses it", () => {
    expect(resolve({ stackText: "config:\n  aws:config:region: eu-west-1\n" }).config).toEqual({ "aws:region": "eu-west-1" });
    const error = failure(() => resolve({ stackText: "config:\n  region: eu-west-1\n" }));
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/config key 'region' is not of the form <namespace>:<key>/);
    expect(failure(() => resolve({ stackText: "config:\n  aws:region: a\n  aws:config:region: b\n" }))?.message).toMatch(/given twice/);
  });

  it("a YAML syntax error names the file and position, never the text around it", () => {
    const error = failure(() => resolve({ stackText: `config:\n  ${project}:a: [unclosed, "hunter2-secretish\n` }));
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/^\/p\/Pulumi\.dev\.yaml:\d+:\d+: /);
    expect(error?.message).not.toContain("hunter2");
  });

  it("a stack file importing ESC environments is refused: their values cannot be read here", () => {
    expect(failure(() => resolve({ stackText: "environment:\n  - acme/dev\nconfig: {}\n" }))?.message).toMatch(
      /ESC environments.*--config-file/,
    );
  });
});

function objectsIn(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  if (value !== null && typeof value === "object") return [value as Record<string, unknown>, ...Object.values(value).flatMap(objectsIn)];
  return [];
}

describe("precedence: project defaults < stack file < command line", () => {
  const layer = fc.record({
    project: fc.option(
      fc.string({ minLength: 1, maxLength: 8 }).filter((s) => /^[a-z0-9]+$/.test(s)),
      { nil: undefined },
    ),
    stack: fc.option(text, { nil: undefined }),
    line: fc.option(text, { nil: undefined }),
  });

  it("generated: each key takes the value of the highest source that gives it", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(keyName, layer), { minLength: 1, maxLength: 6, selector: ([k]) => k }), (entries) => {
        // Every key is declared by the project (with a default when the project layer gives one), so missing ones are reported.
        const projectText = `name: ${project}\nruntime: nodejs\nconfig:\n${entries
          .map(([k, l]) => `  ${yamlString(k)}:${l.project !== undefined ? ` ${l.project}` : ""}`)
          .join("\n")}\n`;
        const stackLines = entries
          .filter(([, l]) => l.stack !== undefined)
          .map(([k, l]) => `  ${yamlString(`${project}:${k}`)}: ${yamlString(l.stack as string)}`);
        const stackText = stackLines.length > 0 ? `config:\n${stackLines.join("\n")}\n` : "config: {}\n";
        const config = entries.filter(([, l]) => l.line !== undefined).map(([k, l]) => `${k}=${l.line as string}`);
        const missing = entries.filter(([, l]) => l.project === undefined && l.stack === undefined && l.line === undefined);
        const error = failure(() => resolve({ projectText, stackText, config }));
        if (missing.length > 0) {
          expect(error).toBeInstanceOf(InputError);
          for (const [k] of missing) expect(error?.message).toContain(`'${k}'`);
          return;
        }
        expect(error).toBeUndefined();
        const resolved = resolve({ projectText, stackText, config });
        expect(resolved.config).toEqual(Object.fromEntries(entries.map(([k, l]) => [`${project}:${k}`, l.line ?? l.stack ?? l.project])));
      }),
      propertyParameters(100),
    );
  });

  it("generated: a --config key without a namespace is the project's; with one, it is that namespace's", () => {
    fc.assert(
      fc.property(fc.option(namespace, { nil: undefined }), keyName, text, (ns, key, value) => {
        const written = ns === undefined ? key : `${ns}:${key}`;
        expect(resolve({ config: [`${written}=${value}`] }).config).toEqual({ [`${ns ?? project}:${key}`]: value });
      }),
      propertyParameters(60),
    );
  });

  it("a value may hold '=': only the first one separates the key", () => {
    expect(resolve({ config: ["url=https://x.example/?a=b"] }).config).toEqual({ [`${project}:url`]: "https://x.example/?a=b" });
  });

  it("a project key of another namespace gives a value; shorthand keys of the project give defaults", () => {
    const projectText = `name: ${project}\nruntime: nodejs\nconfig:\n  aws:region: us-west-2\n  size: 3\n  tags: [a, b]\n  nested:\n    default: {z: 1, a: [true]}\n`;
    expect(resolve({ projectText }).config).toEqual({
      "aws:region": "us-west-2",
      [`${project}:size`]: "3",
      [`${project}:tags`]: '["a","b"]',
      [`${project}:nested`]: '{"a":[true],"z":1}',
    });
    expect(resolve({ projectText, stackText: "config:\n  aws:region: eu-central-1\n" }).config["aws:region"]).toBe("eu-central-1");
  });
});

describe("secrets", () => {
  const secretValue = fc.string({ unit: "grapheme", minLength: 12, maxLength: 30 }).map((s) => `S3cr3t-${s}`);
  const ciphertext = fc.base64String({ minLength: 16, maxLength: 40 }).map((s) => `v1:abcdEFGH12345678:${s}`);

  it("generated: every secure: value not supplied is named in one error that says how to supply it; none is read, none shown", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(keyName, ciphertext, fc.boolean(), secretValue), { minLength: 1, maxLength: 6, selector: ([k]) => k }),
        fc.boolean(),
        (entries, viaEnv) => {
          const stackText = `config:\n${entries.map(([k, c]) => `  ${yamlString(`${project}:${k}`)}:\n    secure: ${c}`).join("\n")}\n`;
          const supplied = entries.filter(([, , given]) => given);
          const env = Object.fromEntries(supplied.map(([, , , v], i) => [`SECRET_${i}`, v]));
          const secretArgs = supplied.map(([k, , , v], i) => (viaEnv ? `${k}=SECRET_${i}` : `${k}=${v}`));
          const sources = { stackText, env, ...(viaEnv ? { secretEnv: secretArgs } : { secrets: secretArgs }) };
          const notSupplied = entries.filter(([, , given]) => !given);
          const error = failure(() => resolve(sources));
          if (notSupplied.length > 0) {
            expect(error).toBeInstanceOf(InputError);
            for (const [k] of notSupplied) expect(error?.message).toContain(`'${project}:${k}'`);
            for (const [k] of supplied) expect(error?.message).not.toContain(`'${project}:${k}'`);
            expect(error?.message).toMatch(/--secret .*=<value>, or --secret-env .*=<ENV_VAR>/);
            for (const [, c, , v] of entries) {
              expect(error?.message).not.toContain(v);
              expect(error?.message).not.toContain(c);
            }
            return;
          }
          expect(error).toBeUndefined();
          const resolved = resolve(sources);
          expect(resolved.config).toEqual(Object.fromEntries(entries.map(([k, , , v]) => [`${project}:${k}`, v])));
          expect(resolved.secretKeys.sort()).toEqual(entries.map(([k]) => `${project}:${k}`).sort());
          for (const [, , , v] of entries) expect(resolved.secretTexts).toContain(v);
        },
      ),
      propertyParameters(100),
    );
  });

  it("a secure: value nested in an object makes the whole value undecryptable", () => {
    const stackText = `config:\n  ${project}:db:\n    host: db.example.com\n    password:\n      secure: v1:abc:def\n`;
    expect(failure(() => resolve({ stackText }))?.message).toMatch(new RegExp(`'${project}:db'`));
    const resolved = resolve({ stackText, secrets: ['db={"host":"db.example.com","password":"pw-0123456789"}'] });
    expect(resolved.secretKeys).toEqual([`${project}:db`]);
    expect(resolved.secretTexts).toEqual(expect.arrayContaining(["pw-0123456789", "db.example.com"]));
  });

  it("a secure: value overridden with --config (plain text) is refused: a secret never becomes plain", () => {
    const error = failure(() =>
      resolve({ stackText: `config:\n  ${project}:token:\n    secure: v1:a:b\n`, config: ["token=visible-value-123"] }),
    );
    expect(error?.message).toMatch(
      /'acme-project:token' is encrypted in Pulumi\.dev\.yaml: give it with --secret or --secret-env, not --config/,
    );
    expect(error?.message).not.toContain("visible-value-123");
  });

  it("a key the project declares secret is refused in plain text, accepted as a secret", () => {
    const projectText = `name: ${project}\nruntime: nodejs\nconfig:\n  apiKey:\n    type: string\n    secret: true\n`;
    expect(failure(() => resolve({ projectText, config: ["apiKey=plain-text-value"] }))?.message).toMatch(/'apiKey' is declared secret/);
    expect(failure(() => resolve({ projectText, stackText: `config:\n  ${project}:apiKey: plain\n` }))?.message).toMatch(
      /'apiKey' is declared secret/,
    );
    expect(resolve({ projectText, secrets: ["apiKey=s3cret-value-xyz"] }).secretKeys).toEqual([`${project}:apiKey`]);
  });

  it("--secret and --secret-env errors never echo the value", () => {
    const noEquals = failure(() => resolve({ secrets: ["only-a-secret-value-typed-alone"] }));
    expect(noEquals).toBeInstanceOf(UsageError);
    expect(noEquals?.message).not.toContain("only-a-secret-value");
    const unset = failure(() => resolve({ secretEnv: ["token=NOT_SET_ANYWHERE"], env: {} }));
    expect(unset?.message).toMatch(/NOT_SET_ANYWHERE is not set or empty/);
    expect(failure(() => resolve({ secretEnv: ["token=EMPTY"], env: { EMPTY: "" } }))?.message).toMatch(/EMPTY is not set or empty/);
    const twice = failure(() => resolve({ config: ["token=a-visible"], secrets: ["token=hidden-value-000"] }));
    expect(twice?.message).toMatch(/given by both --config and --secret/);
    expect(twice?.message).not.toContain("hidden-value-000");
  });
});

describe("declared types, as Pulumi checks them", () => {
  const declared = (type: string, extra = "") => `name: ${project}\nruntime: nodejs\nconfig:\n  v:\n    type: ${type}\n${extra}`;

  it("generated: an integer key takes any decimal integer text, and no other text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom("", "+"), (n, sign) => {
        const written = n >= 0n ? `${sign}${n}` : String(n);
        expect(resolve({ projectText: declared("integer"), config: [`v=${written}`] }).config[`${project}:v`]).toBe(written);
      }),
      propertyParameters(60),
    );
    for (const bad of ["1.5", "0x10", "ten", "", "9223372036854775808"]) {
      expect(failure(() => resolve({ projectText: declared("integer"), config: [`v=${bad}`] }))?.message).toMatch(
        /'v' of stack 'dev' must be of type 'integer'/,
      );
    }
  });

  it("booleans, arrays with item types, objects", () => {
    expect(resolve({ projectText: declared("boolean"), config: ["v=true"] }).config[`${project}:v`]).toBe("true");
    expect(failure(() => resolve({ projectText: declared("boolean"), config: ["v=yes"] }))?.message).toMatch(/must be of type 'boolean'/);
    const arrays = declared("array", "    items:\n      type: integer\n");
    expect(resolve({ projectText: arrays, stackText: `config:\n  ${project}:v: [1, 2]\n` }).config[`${project}:v`]).toBe("[1,2]");
    expect(failure(() => resolve({ projectText: arrays, stackText: `config:\n  ${project}:v: [1, x]\n` }))?.message).toMatch(
      /must be of type 'array<integer>'/,
    );
    expect(failure(() => resolve({ projectText: declared("array") }))?.message).toMatch(/declares an array but not the type of its items/);
    expect(failure(() => resolve({ projectText: declared("object"), config: ["v=str"] }))?.message).toMatch(/must be of type 'object'/);
    expect(matchesDeclaredType("object", undefined, { a: 1 })).toBe(true);
  });

  it("a default that does not match its type, unknown attributes, and a type on another namespace's key are refused", () => {
    expect(failure(() => resolve({ projectText: declared("integer", "    default: abc\n") }))?.message).toMatch(
      /default of config 'v' is not of its type 'integer'/,
    );
    expect(failure(() => resolve({ projectText: `name: ${project}\nconfig:\n  v:\n    typo: string\n` }))?.message).toMatch(
      /unknown attribute 'typo'/,
    );
    expect(
      failure(() => resolve({ projectText: `name: ${project}\nconfig:\n  aws:region:\n    type: string\n    value: x\n` }))?.message,
    ).toMatch(/cannot declare a type/);
    expect(failure(() => resolve({ projectText: `name: ${project}\nconfig:\n  aws:region:\n    default: x\n` }))?.message).toMatch(
      /cannot have a default/,
    );
  });

  it("every problem is reported at once", () => {
    const projectText = `name: ${project}\nruntime: nodejs\nconfig:\n  a:\n    type: string\n  b:\n    type: integer\n`;
    const error = failure(() => resolve({ projectText, stackText: `config:\n  ${project}:s:\n    secure: v1:x:y\n` }));
    expect(error?.message.split("\n")).toEqual([
      expect.stringMatching(/missing configuration values 'a', 'b'/),
      expect.stringMatching(/cannot decrypt: 'acme-project:s'/),
    ]);
  });
});

describe("keys", () => {
  it("generated: qualifiedKey accepts <key>, <ns>:<key>, <ns>:config:<key> and nothing else", () => {
    fc.assert(
      fc.property(namespace, keyName, (ns, key) => {
        expect(qualifiedKey(key, project, true)).toBe(`${project}:${key}`);
        expect(qualifiedKey(key, project, false)).toBeUndefined();
        expect(qualifiedKey(`${ns}:${key}`, project, false)).toBe(`${ns}:${key}`);
        expect(qualifiedKey(`${ns}:config:${key}`, project, false)).toBe(`${ns}:${key}`);
        for (const bad of [`${ns}:`, `:${key}`, `${ns}:a:${key}`, `${ns}:${key}:x:y`, ""])
          expect(qualifiedKey(bad, project, true)).toBeUndefined();
      }),
      propertyParameters(60),
    );
  });
});

describe("hostile input: what a mistyped secret or a crafted file must not do", () => {
  const word = fc.stringMatching(/^[A-Za-z0-9]{8,14}$/).map((w) => `Zq${w}`);

  it("generated: a secret typed without its key (a URL, a connection string: colons, '@', '=') is never echoed by --secret or --secret-env", () => {
    const secretAlone = fc.oneof(
      fc.tuple(word, word, word).map(([user, pass, query]) => `https://${user}:${pass}@db.example.com/x?${query}=1`),
      fc.tuple(word, word, word).map(([a, b, c]) => `${a}:${b}:${c}=tail`),
      fc.tuple(word, word).map(([a, b]) => `:${a}=${b}`),
      fc.tuple(word, word).map(([a, b]) => `${a}:=${b}`),
    );
    fc.assert(
      fc.property(secretAlone, fc.constantFrom("secrets", "secretEnv") as fc.Arbitrary<"secrets" | "secretEnv">, (entry, option) => {
        const error = failure(() => resolve({ [option]: [entry], env: {} }));
        expect(error).toBeInstanceOf(UsageError);
        for (const part of entry.match(/Zq[A-Za-z0-9]+/g) ?? []) expect(error?.message).not.toContain(part);
      }),
      propertyParameters(100),
    );
  });

  it("generated: a YAML error never names a tag, anchor or alias (a plain value opening with ! or * is read as one)", () => {
    const hostile = fc.oneof(
      word.map((w) => `!${w} x`),
      word.map((w) => `!!${w} x`),
      word.map((w) => `!<${w}> x`),
      word.map((w) => `*${w}`),
      word.map((w) => `!e!${w} x`),
      word.map((w) => `!${w}\u00e9 x`),
    );
    fc.assert(
      fc.property(hostile, fc.constantFrom("stack", "project"), (value, where) => {
        const line =
          where === "stack" ? `config:\n  ${project}:a: ${value}\n` : `name: ${project}\nruntime: nodejs\nconfig:\n  a: ${value}\n`;
        const error = failure(() => resolve(where === "stack" ? { stackText: line } : { projectText: line }));
        expect(error).toBeInstanceOf(InputError);
        expect(error?.message).toMatch(/^\/p\/Pulumi\.(dev\.)?yaml:\d+:\d+: /);
        for (const part of value.match(/Zq[A-Za-z0-9]+/g) ?? []) expect(error?.message).not.toContain(part);
      }),
      propertyParameters(100),
    );
    const tagDirective = failure(() => resolve({ stackText: `%TAG !e! {ZqSecretPrefix\n---\nconfig: {}\n` }));
    expect(tagDirective).toBeInstanceOf(InputError);
    expect(tagDirective?.message).not.toContain("ZqSecretPrefix");
  });

  it("an alias bomb (a few lines that expand to millions of values) is refused as an input error", () => {
    let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 7; i++) bomb += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]\n`;
    for (const sources of [
      { stackText: `${bomb}config:\n  ${project}:a: *a6\n` },
      { projectText: `name: ${project}\nruntime: nodejs\n${bomb}config:\n  a: *a6\n` },
    ]) {
      const error = failure(() => resolve(sources));
      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toMatch(/aliases/);
    }
    // A long list written out (no aliases) is no bomb: it is read whole.
    const long = Array.from({ length: 300_000 }, (_, i) => i);
    expect(resolve({ stackText: `config:\n  ${project}:a: [${long.join(", ")}]\n` }).config[`${project}:a`]).toBe(JSON.stringify(long));
  });
});
