import { defineResourcePolicy } from "../../core/policy";
import { helpLinks } from "../../core/help-links";
import { mobileSdkControl } from "../../resources/mobile-sdk";
import { frameworks } from "../support/frameworks";

export const encryptedMode = defineResourcePolicy({
  name: "intercom-mobile-encrypted-mode",
  id: "IHC.MOB.03",
  title: "Mobile SDK encrypted mode on",
  description: "The mobile SDK stores its data on the device in encrypted mode.",
  items: ["mobile.encrypted-mode"],
  severity: "medium",
  criticality: "SHOULD",
  rationale: "Conversations and user data cached on a lost, backed-up or compromised device are readable unless encrypted.",
  remediation: ["Enable the SDK's encrypted mode in your app's Intercom initialisation and release the update."],
  helpUrl: helpLinks.securingMessengerData,
  frameworks: { ...frameworks.dataLeakage, nist80053: ["SC-28", "SC-28(1)"] },
  control: mobileSdkControl,
  // Never remediated: the app must ship with the mode on; changing the setting alone breaks the app's Messenger.
  check: (sdk) => (sdk.encryptedMode ? [] : [`The ${sdk.platform} SDK does not run in encrypted mode.`]),
});
