/**
 * Secrets a rule derives text from (issue 5, item 4): one generated batch, sent over the Analyzer
 * protocol and through `preview`. Each case puts an unsafe value where a rule computes something
 * from it (a date's age, an address decoded from a host name, the size of a network, a parsed
 * host) and sends it as a Pulumi secret, whole or entry by entry. The policy must still report
 * it at its own level, with exactly the message that names the field and nothing derived from it.
 */
import fc from "fast-check";
import { findPolicy } from "../../policies";
import { secretRotation } from "../../policies/messenger-security/messenger-secret-rotation";
import { customActionPublicEndpoint } from "../../policies/custom-actions/custom-action-public-endpoint";
import { libraryClassBatch } from "./library-class-batches";
import { secure } from "./fixtures";
import { sampleOf } from "./property";

export interface SecretDerivedCase {
  readonly control: string;
  readonly name: string;
  /** Props with the secret in place, marked with the harness's own `markSecret`. */
  readonly props: Record<string, unknown>;
  readonly policy: string;
  readonly blocks: boolean;
  /** The whole message the policy must give (undefined: it must report nothing). */
  readonly message?: string;
  /** The secret's texts: none may appear in any output, in any form redaction defines. */
  readonly secretTexts: readonly string[];
  readonly drawn: string;
}

/** The one message a finding that rests on secret values may have. */
export function restingOnSecrets(control: string, name: string, field: string, policyName: string): string {
  const policy = findPolicy(policyName);
  if (!policy) throw new Error(`no policy ${policyName}`);
  return `${control} "${name}": the finding rests on secret values (${field}), so it is not described further. ${policy.description}`;
}

const secretFieldOf: Readonly<Record<string, string>> = {
  MessengerDomainRestriction: "trustedDomains",
  LinkSafety: "trustedDomains",
  CustomAction: "url",
  IpAllowlist: "entries",
};

/** Days since 1995..2024 at the pinned clocks (2026): older than any rotation limit. */
const oldDate = fc
  .date({ min: new Date("1995-01-01T00:00:00Z"), max: new Date("2024-12-31T00:00:00Z"), noInvalidDate: true })
  .chain((date) => fc.constantFrom(date.toISOString().slice(0, 10), date.toISOString()));

/** Hosts short enough to be below redaction's part length, that a rule names: single labels, `host:port`. */
const shortHost = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/), fc.option(fc.integer({ min: 1025, max: 65535 }), { nil: undefined }), fc.integer())
  .map(([label, port, seed]) => `${seed & 1 ? label.toUpperCase() : label}${port ? `:${port}` : ""}`);

export function secretDerivedBatch(perClass: number, tag: string, markSecret: (value: unknown) => unknown): SecretDerivedCase[] {
  const cases: SecretDerivedCase[] = [];
  const add = (c: Omit<SecretDerivedCase, "name" | "message">, unsafe: boolean) => {
    const name = `${tag}-${c.control.toLowerCase()}-${cases.length}`;
    const field = secretFieldOf[c.control] ?? "secretRotatedAt";
    cases.push({ ...c, name, ...(unsafe ? { message: restingOnSecrets(c.control, name, field, c.policy) } : {}) });
  };

  // The library-backed classes (embedding names, notations, unions of ranges), the field secret
  // as a whole or entry by entry.
  const library = libraryClassBatch({ perClass });
  library.forEach((c, i) => {
    // A URL in a notation clients read differently is refused by the schema, whose message names
    // the field only: the batch of library classes covers it; here only policies' own messages are.
    if (c.policy === "intercom-control-schema") return;
    const field = secretFieldOf[c.control] as string;
    const value = c.props[field];
    const entryByEntry = Array.isArray(value) && i % 2 === 1;
    const sent = entryByEntry ? (value as unknown[]).map(markSecret) : markSecret(value);
    const texts = Array.isArray(value) ? value.map(String) : [String(value)];
    add(
      {
        control: c.control,
        props: { ...c.props, [field]: sent },
        policy: c.policy,
        blocks: c.blocks,
        secretTexts: texts,
        drawn: `${c.drawn} (secret${entryByEntry ? " entries" : ""})`,
      },
      c.expect.unsafe,
    );
  });
  // A date's age: the days since a secret rotation date give the date back.
  for (const date of sampleOf(oldDate, perClass)) {
    add(
      {
        control: "MessengerSecurity",
        props: { ...secure.webMessengerSecurity, secretRotatedAt: markSecret(date) },
        policy: secretRotation.name,
        blocks: false,
        secretTexts: [date],
        drawn: `secret rotation date ${date}`,
      },
      true,
    );
  }
  // A parsed single-label host below the part length: `http://INTRA:8443/` was named "(intra)".
  for (const host of sampleOf(shortHost, perClass)) {
    const url = `http://${host}/orders/lookup`;
    add(
      {
        control: "CustomAction",
        props: { ...secure.customAction, url: markSecret(url) },
        policy: customActionPublicEndpoint.name,
        blocks: true,
        secretTexts: [url, host],
        drawn: `secret http URL on ${host}`,
      },
      true,
    );
  }
  return cases;
}
