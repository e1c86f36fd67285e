/**
 * Argument floors and the attachment allowlist over the Analyzer protocol, against the compiled pack. Configure with
 * an argument of a SHALL policy below its floor fails (gRPC INVALID_ARGUMENT) naming the policy, the argument, the
 * value and the floor, whether or not the engine validated it first; at or above the floor it is accepted. The values
 * are generated from the floors the policies declare, so a new SHALL argument is covered as it is added.
 */
import fc from "fast-check";
import { CapturedResource, PolicyConfig, PolicyConfigurationRefused, PolicyPackSession } from "../../cli/analyzer-client";
import { displayValue } from "../../core/floors";
import { acceptedValue, flooredArguments, refusedValue, shownFloor } from "../support/floors";
import { safeUploadList, unsafeUploadList } from "../support/file-types";
import {
  configureWithoutValidation,
  controlType,
  launchPinnedPack,
  mandatory,
  SETUP_TIMEOUT_MS,
  violationMessage,
} from "../support/engine";
import { sampleOf } from "../support/property";

const FILE_TYPES_POLICY = "intercom-attachment-file-types";
const WORKSPACE_ID = "floors01";
/** Who accepted running a SHALL policy below its default level, why and until when (within 90 days of the pinned clock). */
const accountable = {
  justification: "Accepted while the rollout completes",
  owner: "alice@example.com",
  approver: "bob@example.com",
  expires: "2026-12-15",
};

function control(controlName: string, name: string, properties: Record<string, unknown>): CapturedResource {
  const type = controlType(controlName);
  return { type, name, urn: `urn:pulumi:dev::floors::${type}::${name}`, properties, custom: true, dependencies: [] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("argument floors and the attachment allowlist over the Analyzer protocol", () => {
  let session: PolicyPackSession | undefined;
  let defaults: Record<string, PolicyConfig> = {};

  beforeAll(async () => {
    session = await launchPinnedPack();
    defaults = await session.configure({});
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    await pack().configure({});
  });

  afterAll(async () => {
    await session?.close();
  });

  function pack(): PolicyPackSession {
    if (!session) throw new Error("setup failed");
    return session;
  }

  /** The whole config as the engine sends it, with one policy's arguments changed. */
  function withArguments(policy: string, properties: Record<string, unknown>, enforcementLevel?: PolicyConfig["enforcementLevel"]) {
    const current = defaults[policy] as PolicyConfig;
    return {
      ...defaults,
      [policy]: { enforcementLevel: enforcementLevel ?? current.enforcementLevel, properties: { ...current.properties, ...properties } },
    };
  }

  it("covers every SHALL policy argument (derived from the declared floors)", () => {
    expect(flooredArguments.map((a) => `${a.policy.name}.${a.argument}`)).toEqual(
      expect.arrayContaining([
        "intercom-ip-allowlist-entries.minPrefixLength",
        "intercom-protected-identity-attributes.identityAttributes",
        "intercom-custom-action-response-mapping.identityAttributes",
        "intercom-attachment-file-types.safeFileTypes",
      ]),
    );
  });

  describe.each(flooredArguments.map((a) => [`${a.policy.name} ${a.argument}`, a] as const))("%s", (_label, argument) => {
    const policy = argument.policy.name;

    it(
      "generated refused values: Configure fails with INVALID_ARGUMENT, naming the policy, the argument, the value and the floor",
      async () => {
        const levels = ["mandatory", "advisory", "disabled"] as const;
        for (const [i, value] of sampleOf(refusedValue(argument), 8).entries()) {
          const config = withArguments(policy, { [argument.argument]: value }, levels[i % levels.length]);
          const refusal = configureWithoutValidation(pack(), config);
          await expect(refusal).rejects.toThrow(/INVALID_ARGUMENT/);
          await expect(refusal).rejects.toThrow(
            new RegExp(`the configuration of ${escapeRegExp(policy)} is refused: ${escapeRegExp(argument.argument)} is `),
          );
          await expect(refusal).rejects.toThrow(displayValue(value));
          await expect(refusal).rejects.toThrow(new RegExp(`floor (is )?${escapeRegExp(shownFloor(argument))}`));
        }
      },
      SETUP_TIMEOUT_MS,
    );

    it(
      "generated refused values sent as the CLI sends them: refused, by the config schema or by the pack",
      async () => {
        for (const value of sampleOf(refusedValue(argument), 6)) {
          await expect(pack().configure({ [policy]: { [argument.argument]: value } })).rejects.toBeInstanceOf(PolicyConfigurationRefused);
        }
      },
      SETUP_TIMEOUT_MS,
    );

    it(
      "generated values at or above the floor are accepted, with any enforcement level",
      async () => {
        const levels = ["mandatory", "advisory", "disabled"] as const;
        for (const [i, value] of sampleOf(acceptedValue(argument), 8).entries()) {
          // Below its default level a SHALL policy needs accountability beside its arguments (core/exceptions.ts).
          await configureWithoutValidation(
            pack(),
            withArguments(policy, { [argument.argument]: value, ...accountable }, levels[i % levels.length]),
          );
          await pack().configure({ [policy]: { enforcementLevel: levels[i % levels.length], [argument.argument]: value, ...accountable } });
        }
      },
      SETUP_TIMEOUT_MS,
    );
  });

  it("a refused Configure changes nothing: the last accepted arguments stay in force", async () => {
    const allowlist = control("IpAllowlist", "broad", {
      workspaceId: WORKSPACE_ID,
      scope: "dashboard",
      enabled: true,
      entries: ["10.0.0.0/12"],
    });
    const entriesPolicy = async () =>
      mandatory(await pack().analyze(allowlist))
        .filter((d) => d.policyName === "intercom-ip-allowlist-entries")
        .map(violationMessage);

    expect(await entriesPolicy()).toEqual([]);
    await pack().configure({ "intercom-ip-allowlist-entries": { minPrefixLength: 16 } });
    expect(await entriesPolicy()).toEqual([expect.stringMatching(/more than one \/16 range/)]);
    await expect(
      configureWithoutValidation(pack(), withArguments("intercom-ip-allowlist-entries", { minPrefixLength: 4 })),
    ).rejects.toThrow(/INVALID_ARGUMENT/);
    expect(await entriesPolicy()).toEqual([expect.stringMatching(/more than one \/16 range/)]);
  });

  it("levels keep working: a SHALL policy can still be made advisory or disabled, with accountability beside its level", async () => {
    const sent = await pack().configure({
      "intercom-ip-allowlist-entries": { enforcementLevel: "disabled", ...accountable },
      [FILE_TYPES_POLICY]: { enforcementLevel: "advisory", ...accountable },
    });
    expect(sent["intercom-ip-allowlist-entries"]?.enforcementLevel).toBe("disabled");
    const uploads = control("AttachmentPolicy", "levels-exe", {
      workspaceId: WORKSPACE_ID,
      customerUploads: "users_only",
      allowedFileTypes: ["exe"],
    });
    expect((await pack().analyze(uploads)).filter((d) => d.policyName === FILE_TYPES_POLICY).map((d) => d.enforcementLevel)).toEqual([
      "advisory",
    ]);
  });

  describe("attachments: only file types known to be safe", () => {
    const uploads = (name: string, allowedFileTypes: string[], customerUploads = "users_only") =>
      control("AttachmentPolicy", name, { workspaceId: WORKSPACE_ID, customerUploads, allowedFileTypes });
    const verdictOf = async (resource: CapturedResource) =>
      mandatory(await pack().analyze(resource)).filter((d) => d.policyName === FILE_TYPES_POLICY);

    it(
      "generated lists holding any type not known to be safe block (random extensions, executables in odd casings and notations)",
      async () => {
        const lists = [...sampleOf(unsafeUploadList({ odd: false }), 30), ...sampleOf(unsafeUploadList({ odd: true }), 30)];
        for (const [i, list] of lists.entries()) {
          const diagnostics = await verdictOf(uploads(`unsafe-${i}`, list, i % 2 === 0 ? "users_only" : "everyone"));
          expect({ list, blocked: diagnostics.length > 0 }).toEqual({ list, blocked: true });
        }
      },
      SETUP_TIMEOUT_MS,
    );

    it(
      "generated lists of known-safe types only, in any casing, pass",
      async () => {
        for (const [i, list] of sampleOf(safeUploadList, 30).entries()) {
          expect({ list, diagnostics: (await verdictOf(uploads(`safe-${i}`, list))).map(violationMessage) }).toEqual({
            list,
            diagnostics: [],
          });
        }
      },
      SETUP_TIMEOUT_MS,
    );

    it(
      "generated: with the safe set narrowed by configuration, a type outside the subset blocks and one inside passes",
      async () => {
        const cases = sampleOf(
          fc.tuple(
            fc.subarray(["pdf", "png", "jpg", "docx", "mp4", "csv"], { minLength: 1 }),
            fc.constantFrom("pdf", "png", "jpg", "docx", "mp4", "csv"),
          ),
          8,
        );
        for (const [i, [subset, probe]] of cases.entries()) {
          await pack().configure({ [FILE_TYPES_POLICY]: { safeFileTypes: subset.map((t) => t.toUpperCase()) } });
          const blocked = (await verdictOf(uploads(`narrowed-${i}`, [probe]))).length > 0;
          expect({ subset, probe, blocked }).toEqual({ subset, probe, blocked: !subset.includes(probe) });
        }
      },
      SETUP_TIMEOUT_MS,
    );

    it("an empty list with uploads on blocks: it allows any type", async () => {
      expect(await verdictOf(uploads("any-type", [], "everyone"))).not.toEqual([]);
    });
  });
});
