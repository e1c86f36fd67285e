import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { customActionControl } from "../../resources/custom-action";
import { headersWithLiteralCredentials, urlCredentialLocations } from "../support/credentials";
import { frameworks } from "../support/frameworks";

export const customActionNoLiteralCredentials = defineResourcePolicy({
  name: "intercom-custom-action-no-literal-credentials",
  id: "IHC.ACT.03",
  title: "No literal credentials in Custom Actions",
  description: "A Custom Action carries no literal credential in a header or its URL; it references a token stored in Intercom.",
  section: "custom-actions",
  items: ["actions.credentials"],
  severity: "critical",
  criticality: "SHALL",
  rationale:
    "A credential written into the request lives in your program's source, its history and every copy of the configuration; tokens stored in Intercom are managed, encrypted and rotated separately.",
  remediation: [
    "Create the credential as a token in Intercom and reference it (tokenId, or {{token}} in the header).",
    "Rotate the exposed credential: it is in your source history.",
  ],
  helpUrl: helpLinks.customActionsSecurity,
  frameworks: frameworks.secretManagement,
  control: customActionControl,
  check: (action) => [
    ...headersWithLiteralCredentials(action.headers).map(
      (header) => `Custom Action "${action.name}" carries a literal credential in its "${header}" header.`,
    ),
    ...urlCredentialLocations(action.url).map(
      (location) => `Custom Action "${action.name}" carries a literal credential in ${location}.`,
    ),
  ],
});
