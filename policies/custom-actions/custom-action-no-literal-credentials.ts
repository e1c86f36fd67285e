import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { customActionControl } from "../../resources/custom-action";
import { CredentialShape, headerCredentials, UrlCredential, urlCredentials } from "../support/credentials";
import { frameworks } from "../support/frameworks";

/** What the credential looks like, in words; never any part of it. */
function describeShape(shape: CredentialShape): string {
  switch (shape.kind) {
    case "credential-name":
      return "a name that marks a credential, with a value that is no reference to a stored token";
    case "unjudgeable-name":
      return "a name that is no plain HTTP name (look-alike or invisible characters), so it cannot be told from a credential's";
    case "private-key":
      return "a value holding a private key";
    case "auth-scheme":
      return "a value that is an HTTP authentication scheme with a literal credential";
    case "token-prefix":
      return `a value shaped like a ${shape.provider} token`;
    case "jwt":
      return "a value holding a JSON Web Token";
    case "base64":
      return "a value holding base64-encoded data, as encoded credentials are";
    case "encoded-user-password":
      return "a value holding a base64-encoded user name and password";
    case "wrapped-literal":
      return "a value in {{…}} that is no token name but a literal shaped like a credential";
    case "high-entropy":
      return "a value holding a high-entropy string, as generated keys are";
    case "userinfo":
      return "a user name or password written into the URL";
    case "webhook":
      return `a ${shape.provider} webhook, whose URL is itself the credential`;
    case "unparseable-url":
      return "a URL that cannot be parsed, so it cannot be shown to be free of credentials";
  }
}

function describeUrlPart(found: UrlCredential): string {
  switch (found.part) {
    case "userinfo":
      return "the URL's user-info";
    case "host":
      return "the URL's host name";
    case "path":
      return "the URL's path";
    case "query":
      return `the URL's query string (parameter ${found.parameter})`;
    case "fragment":
      return found.parameter === undefined ? "the URL's fragment" : `the URL's fragment (parameter ${found.parameter})`;
    case "url":
      return "the URL";
  }
}

function countBy(reasons: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return counts;
}

export const customActionNoLiteralCredentials = defineResourcePolicy({
  name: "intercom-custom-action-no-literal-credentials",
  id: "IHC.ACT.03",
  title: "No literal credentials in Custom Actions",
  description:
    "A Custom Action carries no literal credential in a header or its URL; it references a token stored in Intercom, or takes the value from a Pulumi secret.",
  items: ["actions.credentials"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "A credential written into the request lives in your program's source, its history and every copy of the configuration; tokens stored in Intercom are managed, encrypted and rotated separately. Credentials are recognised as secret scanners recognise them: by the header or parameter name, by the value's shape (auth schemes, provider token prefixes, JWTs, base64, high entropy), and in the URL's user-info, query, fragment and webhook paths.",
  remediation: [
    "Create the credential as a token in Intercom and reference it (tokenId, or {{token}} in the header).",
    "Or pass each header value that holds a credential as its own Pulumi secret (config.requireSecret, pulumi.secret), and the URL as a Pulumi secret when it holds one. A secret around the whole headers object does not count for the values in it: give each header value as its own Pulumi secret.",
    "Rotate the exposed credential: it is in your source history.",
  ],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: { ...frameworks.secretManagement, nist80053: ["IA-5", "IA-5(7)"] },
  control: customActionControl,
  // Never remediated: a literal credential must be rotated and moved to a secret by a person; the pack never rewrites one.
  check: (action, context) => {
    // Only what arrived in Pulumi's secret form counts as given as a secret, exactly where it sat:
    // a header value under its own envelope, the URL under its own. An envelope around the whole
    // headers object (one secret Output holding literals beside a secret) vouches for none of them.
    const wholeHeadersSecret = context.sentAsSecret(["headers"]);
    const givenAsSecrets = wholeHeadersSecret
      ? []
      : Object.keys(action.headers ?? {}).filter((name) => context.sentAsSecret(["headers", name]));
    const headers = headerCredentials(action.headers, givenAsSecrets);
    const url = context.sentAsSecret(["url"]) ? [] : urlCredentials(action.url);
    return [
      ...[...countBy(headers.map(describeShape))].map(
        ([reason, count]) =>
          `Custom Action "${action.name}" carries a literal credential in ${count === 1 ? "a header" : `${count} headers`}: ${reason}.`,
      ),
      ...url.map(
        (found) =>
          `Custom Action "${action.name}" carries a literal credential in ${describeUrlPart(found)}: ${describeShape(found.shape)}.`,
      ),
    ];
  },
});
