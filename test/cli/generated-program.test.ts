/** The generated-program harness itself: what it registers reaches the pack and is graded. */
import { blockingFor, GENERATED_RUN_TIMEOUT_MS, previewGenerated, secretValue } from "../support/generated-program";

describe("generated program through preview", () => {
  it(
    "grades each registered control: an unsafe one blocks, a safe one does not",
    () => {
      const run = previewGenerated([
        { control: "Workspace", name: "ws", props: { workspaceId: "abc123", name: "W", region: "us", handlesPhi: false } },
        { control: "MessengerDomainRestriction", name: "open", props: { workspaceId: "abc123", trustedDomains: ["*"] } },
        { control: "MessengerDomainRestriction", name: "closed", props: { workspaceId: "def456", trustedDomains: ["app.example.com"] } },
        {
          control: "SsoEnforcement",
          name: "sso",
          props: { workspaceId: "abc123", googleSignIn: "required", samlSso: "off", emailPasswordSignIn: secretValue(false) },
        },
      ]);
      expect(run.report).toBeDefined();
      expect(run.exitCode).toBe(1);
      expect(blockingFor(run.report!, "open", "intercom-messenger-trusted-domains")).not.toHaveLength(0);
      expect(blockingFor(run.report!, "closed", "intercom-messenger-trusted-domains")).toHaveLength(0);
    },
    GENERATED_RUN_TIMEOUT_MS,
  );
});
