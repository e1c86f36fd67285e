import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { controlModule, defineApiResource, workspaceIdField } from "../core/control";
import { nonEmptyString } from "../core/fields";
import { ControlInputError } from "../core/resource";
import { describeProblems, validateKnownInputs } from "../core/validation";
import { identityVerificationSecretProvider } from "../intercom/identity-verification-secret-provider";
import { messengerPlatform } from "./messenger-security";

export const identityVerificationSecretSchema = z.strictObject({
  workspaceId: workspaceIdField,
  name: nonEmptyString
    .max(255)
    .refine((name) => name.trim() === name, { message: "no leading or trailing spaces" })
    .describe("A name for the secret in Intercom, to tell secrets apart during a rotation."),
  platforms: z
    .array(messengerPlatform)
    .min(1)
    .refine((platforms) => new Set(platforms).size === platforms.length, { message: "each platform once" })
    .describe("The platforms whose Messenger identity verification this secret signs for (at least one)."),
  rotation: z
    .string()
    .optional()
    .describe("Any text (e.g. 2026-11). Changing it rotates the secret: a new one is created, then the old one deleted."),
});

/**
 * The resource's schema and metadata. It is NOT a Health Check control: it is not in `allControls`,
 * so the pack does not grade it (its control-schema policy answers "Not an Intercom control") nor
 * count it in a workspace. What the Health Check grades is the MessengerSecurity its outputs feed.
 */
export const identityVerificationSecretDefinition = defineApiResource({
  name: "IdentityVerificationSecret",
  description: "A Messenger identity-verification secret, created and rotated through Intercom's API.",
  schema: identityVerificationSecretSchema,
  secretPaths: [],
  // Not a control: no instance key (a workspace has as many secrets as it likes).
  identityFields: [],
  restApi: "GET/POST/DELETE /secure_mode_secrets (Preview)",
});

export type IdentityVerificationSecretArgs = {
  [K in keyof z.input<typeof identityVerificationSecretSchema>]: pulumi.Input<z.input<typeof identityVerificationSecretSchema>[K]>;
};

const provider = identityVerificationSecretProvider();

/**
 * A Messenger identity-verification (secure mode) secret, applied through `/secure_mode_secrets`
 * (Intercom's Preview API; an access token is required). Its `secret` output holds the material,
 * which Intercom returns once, at creation: it is registered as a Pulumi secret. Feed it to
 * MessengerSecurity, which the pack grades: `apiSecret: s.secret, secretRotatedAt: s.createdAt`.
 *
 * Rotation: change `rotation` (or `pulumi up --replace <urn>`). Pulumi creates the new secret, updates
 * what uses its outputs, and deletes the old secret last; `deleteBeforeReplace` is refused, since it
 * would leave the Messenger with no secret between the two.
 */
export class IdentityVerificationSecret extends pulumi.dynamic.Resource {
  static readonly __pulumiType = identityVerificationSecretDefinition.typeToken;
  static readonly definition = identityVerificationSecretDefinition;

  declare readonly workspaceId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly platforms: pulumi.Output<("web" | "ios" | "android")[]>;
  declare readonly rotation: pulumi.Output<string | undefined>;
  /** Intercom's id of the secret. */
  declare readonly secretId: pulumi.Output<string>;
  /** When Intercom created it (ISO 8601): when the platforms it signs for were last rotated. */
  declare readonly createdAt: pulumi.Output<string>;
  /** The material (a Pulumi secret); absent for an imported secret, whose material Intercom never returns again. */
  declare readonly secret: pulumi.Output<string | undefined>;
  /** Always "api": a secret exists only in Intercom. */
  declare readonly appliedThrough: pulumi.Output<"api">;

  constructor(name: string, args: IdentityVerificationSecretArgs, opts?: pulumi.CustomResourceOptions) {
    const definition = identityVerificationSecretDefinition;
    const inputs = (args ?? {}) as Record<string, unknown>;
    const deferred = (v: unknown) => pulumi.Output.isInstance(v) || v instanceof Promise;
    const known = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !deferred(v)));
    const problems = validateKnownInputs(definition, known, Object.keys(inputs));
    if (problems.length > 0) throw new ControlInputError(describeProblems(definition, name, problems));
    if (Object.values(inputs).some(deferred)) {
      pulumi.all(inputs).apply((resolved) => {
        const late = validateKnownInputs(definition, resolved as Record<string, unknown>, Object.keys(inputs), { hideGivenValues: true });
        if (late.length > 0) throw new ControlInputError(describeProblems(definition, name, late));
      });
    }
    if (opts?.deleteBeforeReplace) {
      throw new ControlInputError(
        `IdentityVerificationSecret "${name}": deleteBeforeReplace would delete the old secret before its replacement exists, and the Messenger would verify nobody in between; rotation creates the new secret first`,
      );
    }
    super(
      provider,
      name,
      { rotation: undefined, ...inputs, secretId: undefined, createdAt: undefined, secret: undefined, appliedThrough: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secret"] },
      controlModule,
      definition.name,
    );
  }
}
