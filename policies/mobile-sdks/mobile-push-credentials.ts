import { z } from "zod";
import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { mobileSdkControl } from "../../resources/mobile-sdk";
import { daysBetween, isoDay } from "../support/dates";
import { frameworks } from "../support/frameworks";

const legacyCredentials: Record<string, string> = {
  apns_p12_certificate: "a legacy APNs .p12 certificate (use a .p8 key)",
  fcm_server_key: "a legacy FCM server key (Google retired the legacy API; use a service account)",
};

export const pushCredentials = defineResourcePolicy({
  name: "intercom-mobile-push-credentials",
  id: "IHC.MOB.02",
  title: "Current push credentials",
  description: "Push uses current credentials (APNs .p8 key, FCM service account) that are not about to expire.",
  items: ["mobile.push-certificates"],
  severity: "medium",
  criticality: "SHOULD",
  rationale:
    "Legacy certificates and server keys expire or are retired, silently stopping notifications; broad legacy keys are also harder to scope and rotate.",
  remediation: ["Upload an APNs authentication key (.p8) for iOS and an FCM service account for Android; renew before expiry."],
  helpUrl: helpLinks.iosPush,
  frameworks: { ...frameworks.secretManagement, nist80053: ["SC-12"] },
  control: mobileSdkControl,
  configSchema: z.strictObject({
    expiryWarningDays: z.number().int().min(0).default(30).describe("Flag credentials expiring within this many days."),
  }),
  appliesTo: (sdk) => sdk.push !== undefined,
  // Never remediated: credentials are issued by Apple or Google; only a person can replace them.
  check: (sdk, { config, now }) => {
    const push = sdk.push as NonNullable<typeof sdk.push>;
    const problems: string[] = [];
    const legacy = legacyCredentials[push.credential];
    if (legacy) problems.push(`The ${sdk.platform} SDK's push uses ${legacy}.`);
    const mismatch = sdk.platform === "ios" ? push.credential.startsWith("fcm") : push.credential.startsWith("apns");
    if (mismatch) problems.push(`The ${sdk.platform} SDK's push credential (${push.credential}) is for the other platform.`);
    if (push.expiresAt) {
      const daysLeft = daysBetween(now, new Date(push.expiresAt));
      if (daysLeft < 0) problems.push(`The ${sdk.platform} push credential expired on ${isoDay(push.expiresAt)}.`);
      else if (daysLeft <= config.expiryWarningDays)
        problems.push(`The ${sdk.platform} push credential expires in ${daysLeft} days (${isoDay(push.expiresAt)}).`);
    }
    return problems;
  },
});
