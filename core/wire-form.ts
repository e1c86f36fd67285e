/**
 * Constants of Pulumi's wire form of property values (the engine's, the SDKs' and the providers'): special values
 * are objects keyed by `signatureKey`, and a value not known until the update is one sentinel string.
 */
export const signatureKey = "4dabf18193072939515e22adb298388d";
export const secretSignature = "1b47061264138c4ac30d75fd1eb44270";
export const resourceReferenceSignature = "5cf8f73096256a8f31e491e813e4eb8e";
/** On the wire every unknown value is this string (the SDKs' own per-type variants are in core/unknowns.ts). */
export const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
