import { attachmentFileTypes } from "../../../policies/data-protection/attachment-file-types";
import { expectNeedsReview, expectNotApplicable, expectNotEvaluated, expectSecure, grade, secure } from "../../support/fixtures";
import { describeResourcePolicyBasics } from "../../support/policy-basics";

describe("intercom-attachment-file-types", () => {
  const base = secure.attachmentPolicy;
  const types = (allowedFileTypes: string[], config?: unknown) => grade(attachmentFileTypes, { ...base, allowedFileTypes }, { config });

  it("passes the secure fixture (pdf, png, jpg for users)", () => {
    expectSecure(grade(attachmentFileTypes, base));
  });

  it("passes safe types open to everyone (intercom-attachment-audience owns the audience)", () => {
    expectSecure(grade(attachmentFileTypes, { ...base, customerUploads: "everyone" }));
  });

  it("flags an empty list, which allows any type", () => {
    expectNeedsReview(types([]), "any type", "allowedFileTypes is empty");
  });

  it.each(["exe", "js", "html", "svg", "sh", "bat", "ps1", "jar", "msi", "docm", "hta", "htm"])("flags the executable or script type %p", (type) => {
    expectNeedsReview(types(["pdf", type]), "executable or script", type);
  });

  it("matches extensions case-insensitively", () => {
    expectNeedsReview(types(["pdf", "EXE", "Svg"]), "exe, svg");
  });

  it("flags uploads limited to users too: an identified user can still upload an executable", () => {
    expectNeedsReview(grade(attachmentFileTypes, { ...base, customerUploads: "users_only", allowedFileTypes: ["exe"] }), "exe");
  });

  it("lists every dangerous type once, in one finding", () => {
    const findings = expectNeedsReview(types(["exe", "exe", "js"]));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(/exe, js\./);
  });

  it("does not apply when uploads are disabled, whatever the list", () => {
    expectNotApplicable(grade(attachmentFileTypes, { ...base, customerUploads: "disabled", allowedFileTypes: [] }));
    expectNotApplicable(grade(attachmentFileTypes, { ...base, customerUploads: "disabled", allowedFileTypes: ["exe"] }));
  });

  it("honours blockedFileTypes: a custom list replaces the default", () => {
    const config = { blockedFileTypes: ["PDF"] };
    expectNeedsReview(types(["pdf", "png"], config), "pdf");
    expectSecure(types(["exe"], config));
  });

  it("still flags an empty allowed list under any blockedFileTypes", () => {
    expectNeedsReview(types([], { blockedFileTypes: [] }), "any type");
  });

  it.each([[{ blockedFileTypes: "exe" }], [{ blockedFileTypes: [1] }]])("reports %p as an invalid configuration", (config) => {
    expectNotEvaluated(types(["pdf"], config), "blockedFileTypes");
  });

  it.each([[".exe"], ["tar.gz"], [""], ["a/b"]])("grades the malformed extension %p as not evaluated", (type) => {
    expectNotEvaluated(types(["pdf", type]));
  });

  describeResourcePolicyBasics(attachmentFileTypes, "data-protection", base);
});
