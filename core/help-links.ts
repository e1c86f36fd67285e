/** Intercom help articles the policies link to. Every entry was found in Intercom's public help centre or developer docs (see the closing comment for how each was checked). */
export const helpLinks = {
  healthCheck: "https://www.intercom.com/help/en/articles/12609760-workspace-security-health-check",
  securityContact: "https://www.intercom.com/help/en/collections/384-security-privacy", // FALLBACK: the "Provide a security contact for your workspace" article was only found on fin.ai (fin.ai/help/en/articles/12131703-...), not on an Intercom host
  ssoAnd2fa: "https://www.intercom.com/help/en/articles/181-protect-your-account-with-2fa-google-sign-on-or-saml-sso",
  samlSso: "https://www.intercom.com/help/en/articles/3974587-integrate-with-an-identity-provider-and-log-in-with-saml-sso",
  scim: "https://www.intercom.com/help/en/articles/5798401-system-for-cross-domain-identity-management-scim-provisioning",
  sessionLength: "https://www.intercom.com/help/en/articles/8931217-setting-a-custom-session-length-for-teammates-on-your-workspace",
  ipRestrictions: "https://www.intercom.com/help/en/articles/8931206-restricting-access-to-your-intercom-workspace-using-ip-restrictions",
  restApiIpAllowlist: "https://www.intercom.com/help/en/articles/13941009-restrict-rest-api-access-by-ip-allowlist",
  trustedDomains: "https://www.intercom.com/help/en/articles/4418-list-trusted-domains-you-use-with-your-messenger",
  identityVerification: "https://www.intercom.com/help/en/articles/7946878-what-is-identity-verification",
  identityVerificationSetup: "https://www.intercom.com/help/en/articles/183-set-up-identity-verification-for-web-and-mobile",
  messengerJwt: "https://www.intercom.com/help/en/articles/10589769-authenticating-users-in-the-messenger-with-json-web-tokens-jwts",
  jwtMigration: "https://www.intercom.com/help/en/articles/10807823-migrating-from-identity-verification-to-messenger-security-with-jwts",
  securingMessengerData: "https://www.intercom.com/help/en/articles/11087109-securing-the-data-you-send-via-the-messenger",
  panRedaction: "https://www.intercom.com/help/en/articles/8524626-redacting-primary-account-numbers-pan-in-conversations",
  linkSafety: "https://www.intercom.com/help/en/articles/9018904-preview-help-desk-links-to-check-they-re-safe-to-follow",
  attachments: "https://www.intercom.com/help/en/articles/2339426-control-how-attachments-are-uploaded-and-used",
  protectedAttributes: "https://www.intercom.com/help/en/articles/11087109-securing-the-data-you-send-via-the-messenger", // same article as securingMessengerData: its "Enforcing signed attribute updates" section is the per-attribute "prevent insecure updates" setting
  messengerSessionDuration: "https://www.intercom.com/help/en/articles/16845-how-do-i-end-a-session",
  notificationContent: "https://www.intercom.com/help/en/articles/250-how-does-intercom-deliver-push-email-chat-and-post-notifications", // FALLBACK: no article on HIPAA-friendly notification content found; this is the closest (how email/push notifications to customers are sent)
  iosPush: "https://developers.intercom.com/installing-intercom/ios/push-notifications",
  androidPush: "https://developers.intercom.com/installing-intercom/android/fcm-push-notifications/",
  mobileSdkIos: "https://developers.intercom.com/docs/ios-identity-verification",
  mobileSdkAndroid: "https://developers.intercom.com/installing-intercom/android/secure-your-messenger",
  customActionsSecurity: "https://www.intercom.com/help/en/articles/6317752-custom-actions-security-and-best-practices",
  hipaa: "https://www.intercom.com/help/en/collections/384-security-privacy", // FALLBACK: no Intercom help article on HIPAA / BAA found (only third-party pages, and www.intercom.io/security, which is off the allowed hosts)
  cookieConsent: "https://www.intercom.com/help/en/articles/2361922", // PARTIAL FALLBACK: "Intercom Messenger Cookies" (cookie names, purposes, durations); no Intercom article on cookie consent itself was found
  dataHosting: "https://www.intercom.com/help/en/collections/384-security-privacy", // FALLBACK: the collection lists "Regional Data Hosting" but no URL for that article appeared in any result
  securityPrivacyCollection: "https://www.intercom.com/help/en/collections/384-security-privacy",
} as const;
export type HelpLinkTopic = keyof typeof helpLinks;

/*
 * How each entry was checked (stored copies of public pages and docs, searched by meaning).
 *
 * Seen verbatim as the address of a search result whose text is the article:
 *   healthCheck, ssoAnd2fa, samlSso, scim, restApiIpAllowlist, trustedDomains, identityVerification,
 *   identityVerificationSetup, securingMessengerData (= protectedAttributes), panRedaction, linkSafety,
 *   attachments (current title "Control how attachments are uploaded and used"; an older slug
 *   2339426-control-how-attachments-are-used also exists), customActionsSecurity, notificationContent,
 *   securityPrivacyCollection, iosPush, androidPush (also seen without the trailing slash as .md),
 *   mobileSdkIos (page titled "Secure Your Messenger" for iOS: JWT and identity verification).
 *   cookieConsent: seen as the bare-ID address https://www.intercom.com/help/en/articles/2361922; the
 *   slugged form 2361922-intercom-messenger-cookies was seen only on the apex host intercom.com.
 *
 * Article text seen in search results at the apex host https://intercom.com/help/... (same help centre);
 * the www form used above was confirmed as a link elsewhere:
 *   messengerJwt, jwtMigration: linked in the www form from developers.intercom.com/installing-intercom/web/identity-verification.
 *   sessionLength, ipRestrictions, messengerSessionDuration: www form found as links in public GitHub files
 *   (exact-string index), not in a search result.
 *
 * mobileSdkAndroid: linked from developers.intercom.com/installing-intercom/android/index-android
 *   ("Enable Identity Verification") and, as the full URL, from a public GitHub file; the page itself
 *   did not come up as a search result.
 *
 * Related pages seen but not used: developers.intercom.com/installing-intercom/{ios,android}/installation
 *   (SDK install), .../{ios,android}/data-hosting-region-configuration (SDK region setting),
 *   https://www.intercom.com/help/en/articles/9046751-manage-custom-data-attributes-created-by-the-messenger
 *   (seen at the apex host; turning off custom attribute creation via the Messenger),
 *   https://www.intercom.com/help/en/articles/9222413-attachment-safety-how-we-scan-files-for-malware,
 *   developers.intercom.com/docs/references/rest-api/api.intercom.io/ip-allowlist (IP allowlist REST API).
 */
