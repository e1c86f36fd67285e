import { MessengerSecuritySettings } from "../../resources/messenger-security";

/** Shared by the web and mobile identity-verification policies: the same rule, different Health Check rows. */
export function identityVerificationProblems(messenger: MessengerSecuritySettings): string[] {
  if (messenger.identityVerification === "off") {
    return [`Identity verification is off for the ${messenger.platform} Messenger: anyone can claim to be any user.`];
  }
  if (!messenger.enforced) {
    return [
      `Identity verification (${messenger.identityVerification}) is set up for ${messenger.platform} but not enforced: unverified users are still accepted.`,
    ];
  }
  return [];
}

/** Whether a platform's Messenger verifies and enforces identity. */
export function isVerifiedAndEnforced(messenger: MessengerSecuritySettings): boolean {
  return identityVerificationProblems(messenger).length === 0;
}
