/** Attributes that identify a person: never Messenger-writable, never overwritten by a third party. */
export const identityAttributes = ["email", "user_id", "phone", "external_id", "id", "intercom_user_id", "company_id"] as const;

/** What a Custom Action may match a user on: the two values identity verification vouches for. */
export const verifiableMatchAttributes = ["email", "user_id"] as const;
